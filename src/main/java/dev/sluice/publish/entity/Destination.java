package dev.sluice.publish.entity;

import dev.sluice.platform.entity.InvalidInput;
import java.net.URI;
import java.net.URISyntaxException;

/** Where a message goes: an absolute http(s) URL, kept exactly as published (query included). */
public record Destination(String url) {

    public Destination {
        if (url == null || url.isBlank()) {
            throw new InvalidInput("destination is missing: use /v2/publish/<http(s) URL>");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new InvalidInput("destination must be an http:// or https:// URL, got \"" + abbreviate(url)
                    + "\" (or the name of a URL group)");
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new InvalidInput("destination has no host: \"" + abbreviate(url) + "\"");
            }
        } catch (URISyntaxException e) {
            throw new InvalidInput("destination is not a valid URL: " + e.getMessage());
        }
        if (url.length() > 4096) {
            throw new InvalidInput("destination is longer than 4096 characters");
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}

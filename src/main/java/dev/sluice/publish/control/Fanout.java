package dev.sluice.publish.control;

import dev.sluice.platform.entity.PlainName;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.publish.entity.RequestHeaders;
import dev.sluice.urlgroups.control.UrlGroupCatalog;
import dev.sluice.urlgroups.entity.UrlGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.InvalidInput;
import java.util.List;

/**
 * The messages one publish makes: one for a URL destination, one per endpoint for a URL group (any destination that
 * is not an http(s) URL). A destination that is neither a URL nor a known group, or a group without endpoints, is a
 * bad destination (400).
 */
@ApplicationScoped
public class Fanout {

    /** The queue of a message (set from the enqueue path or a batch entry's {@code queue}). */
    public static final String QUEUE_HEADER = "Upstash-Queue-Name";

    @Inject
    DraftReader reader;

    @Inject
    UrlGroupCatalog groups;

    public static boolean isUrl(String destination) {
        return destination == null || destination.isEmpty() || destination.startsWith("http://")
                || destination.startsWith("https://");
    }

    public List<MessageDraft> drafts(String destination, RequestHeaders headers, byte[] body, long now,
                                     String callerIp) {
        if (isUrl(destination)) {
            return List.of(reader.read(destination, headers, body, now, callerIp));
        }
        String name = PlainName.check(destination, "destination (a URL group name unless it is an http(s) URL)");
        List<UrlGroup.Endpoint> endpoints = groups.find(name)
                .orElseThrow(() -> new InvalidInput("destination \"" + name
                        + "\" is neither an http(s) URL nor a known URL group"))
                .endpoints();
        if (endpoints.isEmpty()) {
            throw new InvalidInput("URL group " + name + " has no endpoints");
        }
        return endpoints.stream()
                .map(endpoint -> reader.read(endpoint.url(), headers, body, now, callerIp)
                        .toEndpoint(name, endpoint.name()))
                .toList();
    }
}

package dev.sluice.messages.entity;

import dev.sluice.platform.entity.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code Upstash-Redact-Fields} hides in API responses (messages, DLQ): {@code body}, every header
 * ({@code header} or {@code headers}) or single headers ({@code header[Name]} / {@code headers[Name]}, names
 * case-insensitive). Deliveries always use the real values. A redacted value is shown as QStash shows it:
 * {@code REDACTED:<SHA-256 of the value, lower-case hex>}, so a caller can check a value without seeing it.
 */
public record Redaction(boolean body, boolean allHeaders, Set<String> headers) {

    public static final Redaction NONE = new Redaction(false, false, Set.of());
    static final String PREFIX = "REDACTED:";

    public Redaction {
        TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(headers);
        headers = names;
    }

    /** Parses the header value (comma-separated); null or blank means nothing is redacted. */
    public static Redaction parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        boolean body = false;
        boolean all = false;
        List<String> names = new ArrayList<>();
        for (String raw : text.split(",")) {
            String part = raw.strip();
            String lower = part.toLowerCase(Locale.ROOT);
            if (lower.equals("body")) {
                body = true;
            } else if (lower.equals("header") || lower.equals("headers")) {
                all = true;
            } else if ((lower.startsWith("header[") || lower.startsWith("headers[")) && part.endsWith("]")
                    && part.indexOf('[') + 1 < part.length() - 1) {
                names.add(part.substring(part.indexOf('[') + 1, part.length() - 1).strip());
            } else if (!part.isEmpty()) {
                throw new InvalidInput("Upstash-Redact-Fields: unknown field \"" + part
                        + "\" (use body, header or header[Name], comma-separated)");
            }
        }
        return new Redaction(body, all, Set.copyOf(names));
    }

    public boolean isEmpty() {
        return !body && !allHeaders && headers.isEmpty();
    }

    /** The canonical header value, null when nothing is redacted (stored with the message). */
    public String text() {
        if (isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (body) {
            parts.add("body");
        }
        if (allHeaders) {
            parts.add("header");
        }
        headers.forEach(name -> parts.add("header[" + name + "]"));
        return String.join(",", parts);
    }

    /** This redaction plus the body (used for callbacks, whose body carries the source's headers and body). */
    public Redaction withBody() {
        return new Redaction(true, allHeaders, headers);
    }

    public Map<String, List<String>> headers(Map<String, List<String>> real) {
        if (!allHeaders && headers.isEmpty()) {
            return real;
        }
        Map<String, List<String>> shown = new LinkedHashMap<>();
        real.forEach((name, values) -> shown.put(name, allHeaders || headers.contains(name)
                ? values.stream().map(value -> hidden(value.getBytes(StandardCharsets.UTF_8))).toList() : values));
        return shown;
    }

    /** The value shown in place of a redacted one. */
    public static String hidden(byte[] value) {
        try {
            return PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

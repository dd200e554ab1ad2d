package dev.sluice.publish.entity;

import dev.sluice.platform.entity.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deduplication id of a publish: {@code Upstash-Deduplication-Id} as given, or with
 * {@code Upstash-Content-Based-Deduplication: true} a hash of destination, method, forwarded headers and body.
 */
public final class DeduplicationId {

    static final int MAX_LENGTH = 100;

    private DeduplicationId() {
    }

    public static String of(String explicit, boolean contentBased, String destination, String method,
                            Map<String, List<String>> forwardedHeaders, byte[] body) {
        if (explicit != null && !explicit.isEmpty()) {
            if (explicit.length() > MAX_LENGTH) {
                throw new InvalidInput("Upstash-Deduplication-Id: at most " + MAX_LENGTH + " characters");
            }
            return "id:" + explicit;
        }
        return contentBased ? "content:" + contentHash(destination, method, forwardedHeaders, body) : null;
    }

    /** The id of one endpoint's copy of a URL-group publish: each endpoint deduplicates on its own. */
    public static String forEndpoint(String id, String endpointUrl) {
        return id == null ? null : "endpoint:" + sha256(id + "\n" + endpointUrl);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String contentHash(String destination, String method, Map<String, List<String>> headers,
                                      byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((destination + "\n" + method + "\n").getBytes(StandardCharsets.UTF_8));
            new TreeMap<>(headers).forEach((name, values) ->
                    sha.update((name.toLowerCase() + ":" + String.join(",", values) + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

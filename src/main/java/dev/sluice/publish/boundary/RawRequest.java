package dev.sluice.publish.boundary;

import dev.sluice.platform.entity.InvalidInput;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** What publish-like calls (publish, enqueue, schedules) read from the raw request: destination and body. */
public final class RawRequest {

    private RawRequest() {
    }

    /**
     * The destination exactly as the client wrote it after {@code prefix} (e.g. {@code /v2/publish/}): clients put
     * the URL unencoded into the path, and its query string arrives as the request's query string.
     */
    public static String destination(HttpServletRequest request, String prefix) {
        String uri = request.getRequestURI();
        int start = uri.indexOf(prefix);
        String destination = start < 0 ? "" : uri.substring(start + prefix.length());
        String query = withoutToken(request.getQueryString());
        return query.isEmpty() ? destination : destination + "?" + query;
    }

    private static String withoutToken(String query) {
        if (query == null) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String part : query.split("&")) {
            if (!part.startsWith("qstash_token=")) {
                kept.add(part);
            }
        }
        return String.join("&", kept);
    }

    public static byte[] body(InputStream body, long maxBodyBytes) {
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                throw new InvalidInput("body is larger than the maximum of " + maxBodyBytes + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new InvalidInput("could not read the request body: " + e.getMessage());
        }
    }
}

package dev.sluice.publish.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.platform.entity.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeduplicationIdTest {

    private static final Map<String, List<String>> HEADERS = Map.of("X-A", List.of("1"), "Content-Type",
            List.of("text/plain"));

    @Test
    void anExplicitIdWinsOverContent() {
        assertEquals("id:order-42", DeduplicationId.of("order-42", true, "http://x/a", "POST", HEADERS, bytes("b")));
    }

    @Test
    void noIdAndNoContentBasedDeduplicationMeansNone() {
        assertNull(DeduplicationId.of(null, false, "http://x/a", "POST", HEADERS, bytes("b")));
        assertNull(DeduplicationId.of("", false, "http://x/a", "POST", HEADERS, bytes("b")));
    }

    @Test
    void contentBasedIdsAreEqualExactlyForTheSameDestinationMethodHeadersAndBody() {
        String id = DeduplicationId.of(null, true, "http://x/a", "POST", HEADERS, bytes("b"));
        assertEquals(id, DeduplicationId.of(null, true, "http://x/a", "POST",
                Map.of("Content-Type", List.of("text/plain"), "X-A", List.of("1")), bytes("b")));
        assertNotEquals(id, DeduplicationId.of(null, true, "http://x/b", "POST", HEADERS, bytes("b")));
        assertNotEquals(id, DeduplicationId.of(null, true, "http://x/a", "PUT", HEADERS, bytes("b")));
        assertNotEquals(id, DeduplicationId.of(null, true, "http://x/a", "POST", Map.of(), bytes("b")));
        assertNotEquals(id, DeduplicationId.of(null, true, "http://x/a", "POST", HEADERS, bytes("c")));
    }

    @Test
    void rejectsOverlongIds() {
        InvalidInput error = assertThrows(InvalidInput.class,
                () -> DeduplicationId.of("x".repeat(101), false, "http://x/a", "POST", HEADERS, bytes("")));
        assertEquals("Upstash-Deduplication-Id: at most 100 characters", error.getMessage());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

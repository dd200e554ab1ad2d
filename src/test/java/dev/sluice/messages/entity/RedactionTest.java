package dev.sluice.messages.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.platform.entity.InvalidInput;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {

    /** SHA-256("abc") */
    private static final String ABC = "REDACTED:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void parsesTheSdksAndTheDocsSpellings() {
        Redaction sdk = Redaction.parse("body,header[Authorization]");
        assertTrue(sdk.body());
        assertFalse(sdk.allHeaders());
        assertTrue(sdk.headers().contains("authorization"), "names are case-insensitive");

        assertTrue(Redaction.parse("header").allHeaders());
        assertTrue(Redaction.parse(" headers ").allHeaders());
        assertTrue(Redaction.parse("headers[X-Key], BODY").headers().contains("X-KEY"));
        assertTrue(Redaction.parse(null).isEmpty());
        assertTrue(Redaction.parse("").isEmpty());
    }

    @Test
    void rejectsUnknownFields() {
        for (String bad : List.of("password", "header[]", "header[X", "bodies", "header[X],query")) {
            InvalidInput error = assertThrows(InvalidInput.class, () -> Redaction.parse(bad), bad);
            assertTrue(error.getMessage().startsWith("Upstash-Redact-Fields"), error.getMessage());
        }
    }

    @Test
    void canonicalTextRoundTrips() {
        Redaction redaction = Redaction.parse("header[B],body,header[A]");
        assertEquals("body,header[A],header[B]", redaction.text());
        assertEquals(redaction, Redaction.parse(redaction.text()));
        assertNull(Redaction.NONE.text());
        assertEquals("body,header", Redaction.parse("header").withBody().text());
    }

    @Test
    void hidesValuesAsQstashDoes() {
        assertEquals(ABC, Redaction.hidden("abc".getBytes(StandardCharsets.UTF_8)));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("authorization", List.of("abc"));
        headers.put("X-Plain", List.of("visible"));

        Map<String, List<String>> shown = Redaction.parse("header[Authorization]").headers(headers);
        assertEquals(List.of(ABC), shown.get("authorization"));
        assertEquals(List.of("visible"), shown.get("X-Plain"));
        assertEquals(List.of(ABC), Redaction.parse("header").headers(Map.of("X", List.of("abc"))).get("X"));
        assertEquals(headers, Redaction.parse("body").headers(headers));
    }
}

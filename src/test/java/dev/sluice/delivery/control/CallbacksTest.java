package dev.sluice.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.messages.entity.Message;
import jakarta.json.JsonObject;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbacksTest {

    @Test
    void payloadCarriesTheAnswerAndTheSourceMessage() {
        Message source = new Message("msg_1", "https://example.com/hook", "PUT", 1_000);
        source.setBody("request".getBytes(StandardCharsets.UTF_8));
        source.setHeaders("{\"X-A\":[\"1\"]}");
        source.setMaxRetries(2);
        source.setNotBefore(2_000);
        AttemptResult answer = AttemptResult.response(202,
                HttpHeaders.of(Map.of("x-reply", List.of("yes")), (a, b) -> true),
                "reply".getBytes(StandardCharsets.UTF_8));

        JsonObject payload = Callbacks.payload(source, answer).build();

        assertEquals(202, payload.getInt("status"));
        assertEquals("reply", decode(payload.getString("body")));
        assertEquals("yes", payload.getJsonObject("header").getJsonArray("x-reply").getString(0));
        assertEquals("msg_1", payload.getString("sourceMessageId"));
        assertEquals("msg_1", payload.getString("sourceMessasgeId"));
        assertEquals("https://example.com/hook", payload.getString("url"));
        assertEquals("PUT", payload.getString("method"));
        assertEquals("request", decode(payload.getString("sourceBody")));
        assertEquals("1", payload.getJsonObject("sourceHeader").getJsonArray("X-A").getString(0));
        assertEquals(0, payload.getInt("retried"));
        assertEquals(2, payload.getInt("maxRetries"));
        assertEquals(2_000, payload.getJsonNumber("notBefore").longValue());
        assertEquals(1_000, payload.getJsonNumber("createdAt").longValue());
    }

    @Test
    void noResponseIsStatusZeroWithTheError() {
        Message source = new Message("msg_2", "https://example.com/hook", "POST", 1_000);
        JsonObject payload = Callbacks.payload(source, AttemptResult.noResponse("ConnectException: refused")).build();

        assertEquals(0, payload.getInt("status"));
        assertEquals("ConnectException: refused", payload.getString("error"));
        assertEquals("", decode(payload.getString("body")));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}

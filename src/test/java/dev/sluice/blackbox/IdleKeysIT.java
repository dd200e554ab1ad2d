package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keys with nothing left to remember are forgotten once idle for {@code sluice.flow-control.idle-key-retention}
 * (here 2 s): no longer listed, {@code 404} for their GET. Paused and pinned keys are operator state and stay.
 */
class IdleKeysIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void idleKeysAreForgottenWhilePausedAndPinnedOnesStay() throws Exception {
        try (Sink sink = new Sink();
             SluiceProcess sluice = SluiceProcess.start("idle-keys",
                     Map.of("SLUICE_FLOW_CONTROL_IDLE_KEY_RETENTION", "2s"))) {
            Api api = sluice.api();
            String delivered = api.publishOk(sink.url("/idle/1"), "one", keyed("idle-done", "parallelism=2"));
            api.publishOk(sink.url("/idle/2"), "two", keyed("idle-paused", "parallelism=1"));
            assertTrue(sink.awaitMessages(List.of(delivered), DEADLINE).contains(delivered));
            assertEquals(200, api.post("/v2/flowControl/idle-paused/pause", "").status());
            assertEquals(200, api.post("/v2/flowControl/idle-pinned/pin?parallelism=3", "").status());
            assertEquals(2, api.get("/v2/flowControl/idle-done").json().getInt("parallelismMax"),
                    "kept right after its delivery");

            Api.Reply forgotten = awaitNotFound(api, "/v2/flowControl/idle-done");
            assertEquals(404, forgotten.status(), "forgotten once idle: " + forgotten.body());
            assertTrue(forgotten.json().containsKey("error"), forgotten.body());
            assertEquals(List.of("idle-paused", "idle-pinned"), listedKeys(api));

            String again = api.publishOk(sink.url("/idle/3"), "three", keyed("idle-done", "parallelism=4"));
            assertTrue(sink.awaitMessages(List.of(again), DEADLINE).contains(again), "a forgotten key still delivers");
            JsonObject afresh = api.get("/v2/flowControl/idle-done").json();
            assertEquals(4, afresh.getInt("parallelismMax"), afresh.toString());
        }
    }

    private static Api.Reply awaitNotFound(Api api, String path) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Api.Reply reply = api.get(path);
        while (reply.status() != 404 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            reply = api.get(path);
        }
        return reply;
    }

    private static List<String> listedKeys(Api api) {
        return api.get("/v2/flowControl").structure().asJsonArray().stream()
                .map(value -> value.asJsonObject().getString("flowControlKey")).sorted().toList();
    }

    private static Map<String, String> keyed(String key, String config) {
        return Map.of("Upstash-Flow-Control-Key", key, "Upstash-Flow-Control-Value", config);
    }
}

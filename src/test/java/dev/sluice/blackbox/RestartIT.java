package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** No accepted message is lost when Sluice is killed and started again on the same data directory. */
class RestartIT {

    @Test
    void killedSluiceDeliversEverythingAcceptedAfterARestart() throws Exception {
        try (Sink sink = new Sink(); SluiceProcess sluice = SluiceProcess.start("restart", Map.of())) {
            sink.answering((request, attempt) -> request.uri().startsWith("/slow")
                    && attempt == 1 ? Sink.Answer.slow(Duration.ofSeconds(30)) : Sink.Answer.ok());
            Api api = sluice.api();
            List<String> delayed = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                delayed.add(api.publishOk(sink.url("/delayed/" + i), "d" + i, Map.of("Upstash-Delay", "3s")));
            }
            List<String> backlog = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                backlog.add(api.publishOk(sink.url("/fc/restart/" + i), "b" + i, Map.of(
                        "Upstash-Flow-Control-Key", "restart", "Upstash-Flow-Control-Value", "rate=1, period=1s")));
            }
            assertEquals(200, api.post("/v2/flowControl/held/pause", null).status());
            assertEquals(200, api.post("/v2/flowControl/held/pin?parallelism=2&rate=7&period=30", null).status());
            String heldId = api.publishOk(sink.url("/fc/held/0"), "h", Map.of(
                    "Upstash-Flow-Control-Key", "held", "Upstash-Flow-Control-Value", "parallelism=9"));
            String inFlight = api.publishOk(sink.url("/slow"), "slow", Map.of());
            sink.await(request -> request.uri().equals("/slow"), 1, Duration.ofSeconds(20));
            assertEquals(200, api.post("/v2/keys/rotate", null).status());
            var keys = api.get("/v2/keys").json();

            sluice.kill();
            sluice.boot();
            System.out.printf("restart boot: %d ms%n", sluice.lastBoot().toMillis());

            Set<String> expected = new java.util.HashSet<>(delayed);
            expected.addAll(backlog);
            expected.add(inFlight);
            sink.await(request -> request.uri().equals("/slow"), 2, Duration.ofSeconds(60));
            // attempts interrupted by the kill are made again (at least once): count messages, not requests
            Set<String> deliveredIds = sink.awaitMessages(expected, Duration.ofSeconds(60));
            assertTrue(deliveredIds.containsAll(expected), "missing after restart: "
                    + expected.stream().filter(id -> !deliveredIds.contains(id))
                    .map(id -> id + " " + api.get("/v2/messages/" + id).body()).toList());
            assertEquals(2, sink.received(r -> r.uri().equals("/slow")).size(),
                    "the delivery in flight at the crash is made again");
            for (String id : expected) {
                assertEquals("DELIVERED",
                        api.awaitState(id, "DELIVERED", Duration.ofSeconds(20)).getString("state"), id);
            }

            assertEquals(keys, api.get("/v2/keys").json(), "generated and rotated signing keys survive a restart");

            var held = api.get("/v2/flowControl/held").json();
            assertTrue(held.getBoolean("isPaused"), "a pause survives a restart");
            assertEquals(2, held.getInt("parallelismMax"));
            assertEquals(7, held.getInt("rateMax"));
            assertEquals(30, held.getInt("ratePeriod"));
            assertEquals(1, held.getInt("waitListSize"));
            assertEquals(2, api.get("/v2/flowControl/held/events").structure().asJsonArray().size());
            assertEquals(List.of(), sink.group("held"), "still paused after the restart");
            assertEquals("CREATED", api.get("/v2/messages/" + heldId).json().getString("state"));
        }
    }
}

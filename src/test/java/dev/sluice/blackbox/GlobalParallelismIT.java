package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server-wide cap on deliveries in flight holds across keys and messages without a key. */
class GlobalParallelismIT {

    @Test
    void allKeysAndUnkeyedMessagesShareTheGlobalCap() throws Exception {
        try (Sink sink = new Sink();
             SluiceProcess sluice = SluiceProcess.start("global", Map.of("SLUICE_GLOBAL_PARALLELISM", "3"))) {
            sink.answering((request, attempt) -> Sink.Answer.slow(Duration.ofMillis(500)));
            Api api = sluice.api();
            for (int i = 0; i < 8; i++) {
                api.publishOk(sink.url("/unkeyed/" + i), "u", Map.of());
                api.publishOk(sink.url("/fc/wide/" + i), "k", Map.of(
                        "Upstash-Flow-Control-Key", "wide", "Upstash-Flow-Control-Value", "parallelism=10"));
            }
            sink.await(r -> true, 3, Duration.ofSeconds(20));
            JsonObject global = api.get("/v2/globalParallelism").json();
            assertEquals(3, global.getInt("parallelismMax"));
            assertTrue(global.getInt("parallelismCount") <= 3, global.toString());

            List<Sink.Received> all = sink.await(r -> true, 16, Duration.ofSeconds(60));
            assertEquals(16, all.size());
            assertEquals(3, SinkMeasures.maxConcurrent(sink, all), "never more than the global cap, and all of it used");
            assertTrue(sink.maxInFlight("wide") <= 3);
            // 16 calls of 500 ms, 3 at a time: 6 waves; one more for dispatch and timing slack
            Duration drain = SinkMeasures.span(all);
            System.out.printf("global cap 3: max concurrent %d, drain %d ms (ideal 2500 ms)%n",
                    SinkMeasures.maxConcurrent(sink, all), drain.toMillis());
            assertTrue(drain.compareTo(Duration.ofMillis(3_500)) <= 0, "capacity left idle: " + drain);
        }
    }
}

package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * New messages are refused (503, nothing stored) while the data directory's disk or the heap's old generation is
 * fuller than allowed; a limit of 0 % (disk) or 1 % (heap, after a full collection) makes either too full.
 */
class RoomIT {

    @Test
    void publishesAreRefusedAndNothingIsStoredWhileTheDiskIsTooFull() throws Exception {
        try (Sink sink = new Sink();
             SluiceProcess sluice = SluiceProcess.start("disk", Map.of("SLUICE_STORAGE_MAX_DISK_USAGE", "0"))) {
            Api api = sluice.api();

            Api.Reply single = api.publish(sink.url("/full/1"), "one", Map.of());
            Api.Reply batch = api.post("/v2/batch",
                    "[{\"destination\":\"" + sink.url("/full/2") + "\",\"body\":\"two\"}]");

            for (Api.Reply refused : new Api.Reply[] {single, batch}) {
                assertRefused(refused, "storage nearly full");
            }
            assertEquals(0, api.get("/v2/events").json().getJsonArray("events").size(), "nothing stored");
            assertEquals(200, api.get("/v2/flowControl").status(), "reads still answer");
            Thread.sleep(Duration.ofSeconds(1).toMillis());
            assertTrue(sink.received().isEmpty(), "nothing delivered");
        }
    }

    @Test
    void publishesAreRefusedOnceACollectionLeftTheHeapTooFull() throws Exception {
        try (Sink sink = new Sink();
             SluiceProcess sluice = SluiceProcess.start("heap", Map.of("SLUICE_MEMORY_MAX_HEAP_USAGE", "1"))) {
            Api api = sluice.api();

            // the first publish measures the old generation as this (full) collection left it
            sluice.collectGarbage();
            assertRefused(api.publish(sink.url("/full/1"), "one", Map.of()), "memory nearly full");
            assertRefused(api.post("/v2/dlq/retry/dlq_none", ""), "memory nearly full");

            assertEquals(0, api.get("/v2/events").json().getJsonArray("events").size(), "nothing stored");
            Thread.sleep(Duration.ofSeconds(1).toMillis());
            assertTrue(sink.received().isEmpty(), "nothing delivered");
        }
    }

    private static void assertRefused(Api.Reply reply, String reason) {
        assertEquals(503, reply.status(), reply.body());
        assertTrue(reply.json().getString("error").startsWith(reason), reply.body());
    }
}

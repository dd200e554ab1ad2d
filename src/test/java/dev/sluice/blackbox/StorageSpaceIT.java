package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the embedded broker, new messages are refused while the data directory's disk is fuller than
 * {@code sluice.storage.max-disk-usage} allows: 0 % makes any disk too full.
 */
class StorageSpaceIT {

    @Test
    void publishesAreRefusedAndNothingIsStoredWhileTheDiskIsTooFull() throws Exception {
        try (Sink sink = new Sink();
             SluiceProcess sluice = SluiceProcess.start("storage", Map.of("SLUICE_STORAGE_MAX_DISK_USAGE", "0"))) {
            Api api = sluice.api();

            Api.Reply single = api.publish(sink.url("/full/1"), "one", Map.of());
            Api.Reply batch = api.post("/v2/batch",
                    "[{\"destination\":\"" + sink.url("/full/2") + "\",\"body\":\"two\"}]");

            for (Api.Reply refused : new Api.Reply[] {single, batch}) {
                assertEquals(503, refused.status(), refused.body());
                assertTrue(refused.json().getString("error").startsWith("storage nearly full"), refused.body());
            }
            assertEquals(0, api.get("/v2/events").json().getJsonArray("events").size(), "nothing stored");
            assertEquals(200, api.get("/v2/flowControl").status(), "reads still answer");
            Thread.sleep(Duration.ofSeconds(1).toMillis());
            assertTrue(sink.received().isEmpty(), "nothing delivered");
        }
    }
}

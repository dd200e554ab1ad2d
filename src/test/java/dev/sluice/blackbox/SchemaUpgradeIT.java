package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Starting on the database of an earlier version: the index on the message table's flow-control key that earlier
 * versions made is dropped at the start, the other indexes stay, and the messages stored before are delivered.
 */
class SchemaUpgradeIT {

    private static final String KEY_INDEX = TableIndexes.FORMER_FLOW_KEY_INDEX;
    private static final Set<String> KEPT = TableIndexes.MESSAGE_TABLE;
    private static final Map<String, String> HELD = Map.of("Upstash-Flow-Control-Key", "upgrade",
            "Upstash-Flow-Control-Value", "parallelism=1");

    @Test
    void theFlowKeyIndexOfEarlierVersionsIsDroppedAtTheStart() throws Exception {
        try (Sink sink = new Sink(); SluiceProcess sluice = SluiceProcess.start("schema-upgrade", Map.of())) {
            Api api = sluice.api();
            assertEquals(200, api.post("/v2/flowControl/upgrade/pause", null).status());
            String stored = api.publishOk(sink.url("/upgrade/before"), "before", HELD);
            assertEquals("CREATED", api.get("/v2/messages/" + stored).json().getString("state"), "held by the pause");
            sluice.stop();

            Set<String> made = messageIndexes(sluice);
            assertTrue(made.containsAll(KEPT), "the indexes this version makes: " + made);
            assertFalse(made.contains(KEY_INDEX), "this version makes no flow-key index: " + made);
            try (Connection database = sluice.embeddedDatabase()) {
                TableIndexes.createFormerFlowKeyIndex(database);
            }

            sluice.boot();
            assertEquals(200, api.post("/v2/flowControl/upgrade/resume", null).status());
            String after = api.publishOk(sink.url("/upgrade/after"), "after", HELD);
            assertTrue(sink.awaitMessages(Set.of(stored, after), Duration.ofSeconds(30)).containsAll(Set.of(stored,
                    after)), "the message stored before the upgrade and one published after are delivered");
            assertEquals("DELIVERED", api.awaitState(stored, "DELIVERED", Duration.ofSeconds(20)).getString("state"));
            assertEquals("DELIVERED", api.awaitState(after, "DELIVERED", Duration.ofSeconds(20)).getString("state"));
            assertEquals(200, api.post("/v2/flowControl/upgrade/pause", null).status());
            assertEquals(200, api.post("/v2/flowControl/other/pause", null).status());
            String cancelled = api.publishOk(sink.url("/upgrade/cancelled"), "cancelled", HELD);
            String kept = api.publishOk(sink.url("/other/kept"), "kept", Map.of("Upstash-Flow-Control-Key", "other",
                    "Upstash-Flow-Control-Value", "parallelism=1"));
            assertEquals(1, api.delete("/v2/messages?flowControlKey=upgrade").json().getInt("cancelled"),
                    "the bulk cancel still filters by key");
            assertEquals("CANCELLED", api.get("/v2/messages/" + cancelled).json().getString("state"));
            assertEquals("CREATED", api.get("/v2/messages/" + kept).json().getString("state"), "another key's");
            sluice.stop();

            Set<String> left = messageIndexes(sluice);
            assertFalse(left.contains(KEY_INDEX), "dropped at the start: " + left);
            assertTrue(left.containsAll(KEPT), "the others kept: " + left);
            assertEquals(List.of("/upgrade/after", "/upgrade/before"), sink.received(request ->
                    request.uri().startsWith("/upgrade/")).stream().map(Sink.Received::uri).sorted().toList(),
                    "each delivered once");
        }
    }

    private static Set<String> messageIndexes(SluiceProcess stopped) throws SQLException {
        try (Connection database = stopped.embeddedDatabase()) {
            return TableIndexes.nonUnique(database, "SLUICE_MESSAGE");
        }
    }
}

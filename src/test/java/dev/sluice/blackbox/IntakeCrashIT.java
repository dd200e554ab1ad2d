package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A publish commits its rows before its broker messages. A crash in between leaves rows of an intake batch the
 * broker's ledger does not know: the next start sends them. The crash is reproduced by killing Sluice and storing
 * such rows straight into its database.
 */
class IntakeCrashIT {

    private static final String KEY = "intake-crash";
    private static final Map<String, String> FLOW = Map.of(
            "Upstash-Flow-Control-Key", KEY, "Upstash-Flow-Control-Value", "parallelism=1");

    @Test
    void storedMessagesTheBrokerNeverGotAreDeliveredAfterARestart() throws Exception {
        try (Sink sink = new Sink(); SluiceProcess sluice = SluiceProcess.start("intake-crash", Map.of())) {
            Api api = sluice.api();
            assertEquals(200, api.post("/v2/flowControl/" + KEY + "/pause", null).status());
            String template = api.publishOk(sink.url("/crash/template"), "t", FLOW);

            sluice.kill();
            List<String> orphans = storeBeyondTheLedger(sluice, template, sink, 3);
            sluice.boot();

            assertEquals(4, api.get("/v2/flowControl/" + KEY).json().getInt("waitListSize"),
                    "the template and the orphans wait for the key");
            assertEquals(200, api.post("/v2/flowControl/" + KEY + "/resume", null).status());
            String after = api.publishOk(sink.url("/crash/after"), "a", FLOW);
            Set<String> expected = new HashSet<>(orphans);
            expected.add(template);
            expected.add(after);
            Set<String> delivered = sink.awaitMessages(expected, Duration.ofSeconds(30));
            assertTrue(delivered.containsAll(expected), "delivered " + delivered + " of " + expected);
            assertEquals(expected.size(), sink.received(request -> request.uri().startsWith("/crash/")).size(),
                    "each message once");
            awaitEmptyWaitlist(api);
        }
    }

    /** Copies of the template's row, as an intake batch after every batch stored so far would have left them. */
    private static List<String> storeBeyondTheLedger(SluiceProcess stopped, String template, Sink sink, int count)
            throws SQLException {
        try (Connection db = stopped.embeddedDatabase()) {
            long batch = nextBatch(db);
            List<String> columns = columns(db);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = template.substring(0, template.length() - 2) + "Z" + i;
                copy(db, columns, template, Map.of("ID", id, "DESTINATION", sink.url("/crash/orphan-" + i),
                        "INTAKE_BATCH", batch));
                ids.add(id);
            }
            return ids;
        }
    }

    private static long nextBatch(Connection db) throws SQLException {
        try (ResultSet last = db.createStatement().executeQuery("SELECT MAX(INTAKE_BATCH) FROM SLUICE_MESSAGE")) {
            last.next();
            assertTrue(last.getLong(1) > 0, "publishes are stored in numbered intake batches");
            return last.getLong(1) + 1;
        }
    }

    private static List<String> columns(Connection db) throws SQLException {
        try (ResultSet none = db.createStatement().executeQuery("SELECT * FROM SLUICE_MESSAGE WHERE 1 = 0")) {
            ResultSetMetaData meta = none.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            return columns;
        }
    }

    private static void copy(Connection db, List<String> columns, String id, Map<String, Object> replaced)
            throws SQLException {
        List<String> values = columns.stream().map(column -> replaced.containsKey(column) ? "?" : column).toList();
        String sql = "INSERT INTO SLUICE_MESSAGE (" + String.join(", ", columns) + ") SELECT "
                + String.join(", ", values) + " FROM SLUICE_MESSAGE WHERE ID = ?";
        try (PreparedStatement insert = db.prepareStatement(sql)) {
            int parameter = 1;
            for (String column : columns) {
                if (replaced.containsKey(column)) {
                    insert.setObject(parameter++, replaced.get(column));
                }
            }
            insert.setString(parameter, id);
            assertEquals(1, insert.executeUpdate());
        }
    }

    private static void awaitEmptyWaitlist(Api api) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int waiting = api.get("/v2/flowControl/" + KEY).json().getInt("waitListSize");
        while (waiting != 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            waiting = api.get("/v2/flowControl/" + KEY).json().getInt("waitListSize");
        }
        assertEquals(0, waiting, "nothing is left waiting");
    }
}

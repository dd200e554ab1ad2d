package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.events.entity.EventId;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Production mode end to end: Sluice ({@code target/sluice.jar}) with {@code sluice.broker.embedded=false} against
 * the standalone Artemis broker started by {@code broker/standalone/run-broker.sh} and a PostgreSQL database created
 * for this run. PostgreSQL comes from {@code SLUICE_TEST_PG_URL} / {@code SLUICE_TEST_PG_USER} /
 * {@code SLUICE_TEST_PG_PASSWORD} (defaults {@code jdbc:postgresql://127.0.0.1:5432/}, sluice/sluice); the user needs
 * the CREATEDB privilege. Without a reachable PostgreSQL this test fails: production mode is not optional.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductionModeIT {

    private static final String EVENTS = "sluice_message_event";
    /** a message whose events the version before numbered events stored a day ago (within their retention) */
    private static final long FORMER_TIME = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
    private static final String FORMER_MESSAGE = MessageId.at(Message.ID_PREFIX, FORMER_TIME);
    private static final String BROKER_USER = "sluice-it";
    private static final String BROKER_PASSWORD = "it-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final Duration BROKER_START_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration OUTAGE_NOTICED_WITHIN = Duration.ofSeconds(30);
    private static final Duration PUBLISH_INTERVAL = Duration.ofMillis(50);

    private final Postgres postgres = Postgres.fromEnvironment();
    private Broker broker;
    private String database;
    private SluiceProcess sluice;
    private Sink sink;

    @BeforeAll
    void startProductionStack() throws Exception {
        database = postgres.createDatabase();
        postgres.formerEvents(database, FORMER_MESSAGE, FORMER_TIME);
        broker = Broker.start(Path.of("target", "artemis-it"));
        sink = new Sink();
        sluice = SluiceProcess.start("production", Map.of(
                "SLUICE_BROKER_EMBEDDED", "false",
                "SLUICE_BROKER_HOST", "127.0.0.1",
                "SLUICE_BROKER_PORT", Integer.toString(broker.port),
                "SLUICE_BROKER_USER", BROKER_USER,
                "SLUICE_BROKER_PASSWORD", BROKER_PASSWORD,
                "SLUICE_DB_URL", postgres.urlOf(database),
                "SLUICE_DB_USER", postgres.user,
                "SLUICE_DB_PASSWORD", postgres.password,
                "SLUICE_RETENTION_INTERVAL", "1s"));
        report("Sluice boot (production mode)", sluice.lastBoot());
    }

    @AfterAll
    void stopProductionStack() throws Exception {
        try {
            if (sluice != null) {
                sluice.stop();
            }
            if (sink != null) {
                sink.close();
            }
            if (broker != null) {
                broker.stop();
            }
        } finally {
            if (database != null) {
                postgres.dropDatabase(database);
            }
        }
    }

    @Test
    @Order(1)
    void publishedMessageIsDeliveredAndStoredInPostgres() throws Exception {
        Api api = sluice.api();
        long published = System.nanoTime();
        String id = api.publishOk(sink.url("/prod/now"), "hello production", Map.of("Content-Type", "text/plain"));

        List<Sink.Received> received = sink.await(r -> r.uri().equals("/prod/now"), 1, DELIVERY_TIMEOUT);
        assertEquals(1, received.size(), "message " + id + " was not delivered through the standalone broker");
        assertEquals("hello production", received.get(0).bodyText());
        // the first publish also opens the JMS connection pool and the transaction manager: measure warm ones too
        report("publish -> delivery (first message)", Duration.ofNanos(received.get(0).arrivedNanos() - published));
        List<Long> warm = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String path = "/prod/warm-" + i;
            long start = System.nanoTime();
            api.publishOk(sink.url(path), "warm " + i, Map.of());
            List<Sink.Received> arrived = sink.await(r -> r.uri().equals(path), 1, DELIVERY_TIMEOUT);
            assertEquals(1, arrived.size(), "warm message " + i + " was not delivered");
            warm.add(arrived.get(0).arrivedNanos() - start);
        }
        warm.sort(null);
        report("publish -> delivery (warm, median of 5)", Duration.ofNanos(warm.get(2)));

        assertTrue(postgres.messageRows(database) >= 1,
                "the message row should be in the PostgreSQL database " + database);
        assertEquals("DELIVERED 200 true", awaitOutcome(id, "DELIVERED"),
                "the delivery, its status and the destination's headers are recorded in PostgreSQL");
        String metrics = api.call("GET", "/metrics?scope=application", null, Map.of(), false).body();
        assertTrue(metrics.contains("sluice_messages_published_total"), metrics);
        assertFalse(metrics.contains("sluice_database_file"), "no H2 file to compact: " + metrics);
    }

    /** The message's row as "STATE RESPONSESTATUS has-response-headers", once in that state or after the timeout. */
    private String awaitOutcome(String id, String state) throws Exception {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        String outcome = postgres.outcome(database, id);
        while (!outcome.startsWith(state + " ") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            outcome = postgres.outcome(database, id);
        }
        return outcome;
    }

    @Test
    @Order(2)
    void delayedMessageSurvivesARestart() throws Exception {
        Duration delay = Duration.ofSeconds(20);
        Instant publishedAt = Instant.now();
        String id = sluice.api().publishOk(sink.url("/prod/later"), "after the restart",
                Map.of("Upstash-Delay", delay.toSeconds() + "s"));

        sluice.stop();
        Instant stoppedAt = Instant.now();
        postgres.messageKeyIndex(database);
        sluice.boot();
        report("Sluice restart (production mode)", sluice.lastBoot());
        assertEquals(TableIndexes.MESSAGE_TABLE, postgres.nonUniqueIndexes(database, "sluice_message"),
                "the flow-key index an earlier version made is dropped at the start, the others kept");

        List<Sink.Received> received = sink.await(r -> r.uri().equals("/prod/later"), 1,
                delay.plus(DELIVERY_TIMEOUT));
        assertEquals(1, received.size(), "delayed message " + id + " was lost across the restart");
        Sink.Received delivered = received.get(0);
        assertEquals("after the restart", delivered.bodyText());
        assertTrue(delivered.arrivedEpochMillis() >= publishedAt.plus(delay).toEpochMilli() - 50,
                "delivered before its delay was over");
        assertTrue(delivered.arrivedEpochMillis() >= stoppedAt.toEpochMilli(),
                "delivered before Sluice was stopped: the restart proved nothing");

        // the first test's message is still known after the restart: it came from PostgreSQL, not memory
        Api.Reply first = sluice.api().get("/v2/messages/" + id);
        assertEquals(200, first.status(), first.body());
        assertTrue(postgres.messageRows(database) >= 2, "both messages should be in PostgreSQL");
    }

    /**
     * The broker crashes while messages are published, 20 per second. Sluice refuses publishes (503, nothing stored)
     * until it is back; publishes caught in between wait. After the broker restarts on its journal, every accepted
     * message is delivered exactly once and no refused one at all.
     */
    @Test
    @Order(3)
    void publishesDuringABrokerCrashAreRefusedOrDeliveredOnce() throws Exception {
        Api api = sluice.api();
        Map<String, Integer> replies = new ConcurrentHashMap<>();
        ExecutorService producers = Executors.newCachedThreadPool();
        Runnable publishNext = () -> {
            String path = "/prod/outage-" + replies.size() + "-" + System.nanoTime();
            replies.put(path, -1);
            producers.submit(() -> replies.put(path, api.publish(sink.url(path), path, Map.of()).status()));
        };
        try {
            publishFor(Duration.ofSeconds(1), publishNext);
            broker.kill();
            Instant deadline = Instant.now().plus(OUTAGE_NOTICED_WITHIN);
            while (!replies.containsValue(503) && Instant.now().isBefore(deadline)) {
                publishFor(PUBLISH_INTERVAL, publishNext);
            }
            assertTrue(replies.containsValue(503), "no publish was refused within " + OUTAGE_NOTICED_WITHIN
                    + " of the broker's crash");
            Api.Reply down = awaitReadiness(api, false);
            assertTrue(down.body().contains("\"pipeline\":\"false\""), down.body());
            publishFor(Duration.ofSeconds(1), publishNext);
            broker = broker.restarted();
            producers.shutdown();
            assertTrue(producers.awaitTermination(DELIVERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                    "publishes still waiting a minute after the broker came back");
        } finally {
            producers.shutdownNow();
        }
        String after = "/prod/after-outage";
        assertEquals(200, publishOnceTaken(api, after).status(), "publishes are not taken again after the outage");
        awaitReadiness(api, true);

        List<String> accepted = pathsAnswered(replies, 200);
        List<String> refused = pathsAnswered(replies, 503);
        assertEquals(replies.size(), accepted.size() + refused.size(), "every publish is accepted or refused: "
                + replies);
        List<String> expected = new ArrayList<>(accepted);
        expected.add(after);
        sink.await(r -> expected.contains(r.uri()), expected.size(), DELIVERY_TIMEOUT);
        Thread.sleep(2_000); // room for a duplicate to show
        for (String path : expected) {
            assertEquals(1, sink.received(r -> r.uri().equals(path)).size(), path + " should arrive exactly once");
        }
        for (String path : refused) {
            assertEquals(0, sink.received(r -> r.uri().equals(path)).size(), path + " was refused, yet delivered");
        }
        System.out.printf("[ProductionModeIT] broker crash: %d publishes accepted and delivered once, %d refused%n",
                accepted.size(), refused.size());
    }

    /** Publishes until Sluice takes it (it reconnects a moment after the broker is back), at most a minute. */
    private Api.Reply publishOnceTaken(Api api, String path) throws InterruptedException {
        Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
        Api.Reply reply = api.publish(sink.url(path), path, Map.of());
        while (reply.status() == 503 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            reply = api.publish(sink.url(path), path, Map.of());
        }
        return reply;
    }

    /** Waits until /health/ready reports Sluice up (200) or down (503), at most {@link #OUTAGE_NOTICED_WITHIN}. */
    private static Api.Reply awaitReadiness(Api api, boolean up) throws InterruptedException {
        Instant deadline = Instant.now().plus(OUTAGE_NOTICED_WITHIN);
        Api.Reply reply = readiness(api);
        while (reply.status() != (up ? 200 : 503) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            reply = readiness(api);
        }
        assertEquals(up ? 200 : 503, reply.status(), "readiness: " + reply.body());
        assertTrue(reply.body().contains("\"sluice\""), reply.body());
        return reply;
    }

    private static Api.Reply readiness(Api api) {
        return api.call("GET", "/health/ready", null, Map.of(), false);
    }

    @Test
    @Order(4)
    void retentionDeletesWhatIsOverFromPostgres() throws Exception {
        Api api = sluice.api();
        String id = api.publishOk(sink.url("/prod/retention"), "kept a week", Map.of());
        assertEquals("DELIVERED 200 true", awaitOutcome(id, "DELIVERED"));
        long now = System.currentTimeMillis();
        long eightDaysAgo = now - Duration.ofDays(8).toMillis();
        // as the ids Sluice made then: found through the id bound, in PostgreSQL's collation
        String over = MessageId.at(Message.ID_PREFIX, eightDaysAgo);
        String recentlyChanged = MessageId.at(Message.ID_PREFIX, eightDaysAgo);
        postgres.copyRow(database, "sluice_message", id, over, eightDaysAgo, "createdat", "updatedat");
        postgres.copyRow(database, "sluice_message", id, recentlyChanged, eightDaysAgo, "createdat");
        // numbered as the log numbers events of 8 days ago (their number holds their time)
        String oldEvent = postgres.copyEvent(database, id, Long.toString(EventId.leastAt(eightDaysAgo)));

        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while ((postgres.exists(database, "sluice_message", over)
                || postgres.exists(database, EVENTS, oldEvent)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(postgres.exists(database, "sluice_message", over), "a message delivered 8 days ago is deleted");
        assertFalse(postgres.exists(database, EVENTS, oldEvent), "an event of 8 days ago is deleted");
        assertEquals(3, postgres.count(database, EVENTS, "message_id", id),
                "the events of now are kept (CREATED, ACTIVE, DELIVERED)");
        assertTrue(postgres.exists(database, "sluice_message", recentlyChanged),
                "a message made long ago that changed within the week is kept");
        assertTrue(postgres.exists(database, "sluice_message", id), "a message delivered now is kept");
        assertEquals(200, api.call("GET", "/v2/messages/" + id, null, Map.of(), true).status());
        assertEquals(404, api.call("GET", "/v2/messages/" + over, null, Map.of(), true).status());
    }

    @Test
    @Order(5)
    void eventsOfTheVersionBeforeNumberedEventsAreCarriedOverAtTheStart() throws Exception {
        JsonArray events = sluice.api().get("/v2/events?messageId=" + FORMER_MESSAGE).json().getJsonArray("events");
        assertEquals(List.of("DELIVERED", "CREATED"),
                events.getValuesAs(JsonObject.class).stream().map(event -> event.getString("state")).toList());
        assertEquals(FORMER_TIME + 1, events.getJsonObject(0).getJsonNumber("time").longValue());
        assertEquals(FORMER_TIME, events.getJsonObject(1).getJsonNumber("time").longValue());
        assertEquals(200, events.getJsonObject(0).getInt("responseStatus"));
        assertEquals("former-queue", events.getJsonObject(1).getString("queueName"));
        assertEquals(0, postgres.count(database, "sluice_event", "message_id", FORMER_MESSAGE),
                "the former table is emptied");
    }

    /** Starts a publish every {@link #PUBLISH_INTERVAL}, each on a thread of its own: some wait for the broker. */
    private static void publishFor(Duration duration, Runnable publishNext) throws InterruptedException {
        Instant end = Instant.now().plus(duration);
        do {
            publishNext.run();
            Thread.sleep(PUBLISH_INTERVAL.toMillis());
        } while (Instant.now().isBefore(end));
    }

    private static List<String> pathsAnswered(Map<String, Integer> replies, int status) {
        return replies.entrySet().stream().filter(reply -> reply.getValue() == status).map(Map.Entry::getKey)
                .toList();
    }

    private static void report(String what, Duration took) {
        System.out.printf("[ProductionModeIT] %s: %d ms%n", what, took.toMillis());
    }

    /** The standalone broker, run through broker/standalone/run-broker.sh exactly as an operator runs it. */
    static final class Broker {

        final int port;
        private final Path workDir;
        private final Process process;

        private Broker(int port, Path workDir, Process process) {
            this.port = port;
            this.workDir = workDir;
            this.process = process;
        }

        static Broker start(Path workDir) throws Exception {
            // the downloaded and unpacked distribution is reused; the instance (its journal) starts empty
            deleteRecursively(workDir.resolve("instance"));
            Files.createDirectories(workDir);
            return launch(workDir, SluiceProcess.freePort(), "standalone broker start (script, port open)");
        }

        /** Starts the broker again, on its port and its journal, as an operator does after a crash. */
        Broker restarted() throws Exception {
            return launch(workDir, port, "standalone broker restart (same journal, port open)");
        }

        private static Broker launch(Path workDir, int port, String what) throws Exception {
            Path script = Path.of(System.getProperty("sluice.broker.script", "broker/standalone/run-broker.sh"));
            if (!Files.isRegularFile(script)) {
                fail("broker script not found: " + script.toAbsolutePath());
            }
            Path log = Files.createDirectories(Path.of("target", "blackbox")).resolve("standalone-broker.log");
            ProcessBuilder builder = new ProcessBuilder("bash", script.toAbsolutePath().toString(),
                    workDir.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("SLUICE_BROKER_HOST", "127.0.0.1");
            builder.environment().put("SLUICE_BROKER_PORT", Integer.toString(port));
            builder.environment().put("SLUICE_BROKER_USER", BROKER_USER);
            builder.environment().put("SLUICE_BROKER_PASSWORD", BROKER_PASSWORD);
            builder.environment().put("SLUICE_BROKER_MEMORY", "512M");
            Instant started = Instant.now();
            Broker broker = new Broker(port, workDir, builder.start());
            broker.awaitPort(log);
            report(what, Duration.between(started, Instant.now()));
            return broker;
        }

        private void awaitPort(Path log) throws Exception {
            Instant deadline = Instant.now().plus(BROKER_START_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    fail("run-broker.sh exited with " + process.exitValue() + ", see " + log.toAbsolutePath());
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            stop();
            fail("the standalone broker did not open port " + port + " within " + BROKER_START_TIMEOUT
                    + ", see " + log.toAbsolutePath());
        }

        /** SIGTERM (the script exec'd the broker, so this is the broker's JVM), then SIGKILL if it hangs. */
        void stop() {
            for (ProcessHandle handle : processes()) {
                handle.destroy();
                try {
                    handle.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception stillRunning) {
                    handle.destroyForcibly();
                }
            }
        }

        /** SIGKILL: the broker crashes, with whatever its journal holds. */
        void kill() throws Exception {
            for (ProcessHandle handle : processes()) {
                handle.destroyForcibly();
                handle.onExit().get(30, TimeUnit.SECONDS);
            }
        }

        private List<ProcessHandle> processes() {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            return all;
        }

        private static void deleteRecursively(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** The PostgreSQL server given by SLUICE_TEST_PG_*; each run gets its own database, dropped afterwards. */
    static final class Postgres {

        private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");
        private static final String HOW_TO_PROVIDE = """
                 -- ProductionModeIT needs PostgreSQL: set SLUICE_TEST_PG_URL/_USER/_PASSWORD or install it (see below)
                ProductionModeIT creates (and drops) a database of its own on that server.
                  Give one with SLUICE_TEST_PG_URL (default jdbc:postgresql://127.0.0.1:5432/), SLUICE_TEST_PG_USER and
                  SLUICE_TEST_PG_PASSWORD (default sluice/sluice); the user needs the CREATEDB privilege.
                  On Debian/Ubuntu, as root (this is what .ci/run does):
                    apt-get update && apt-get install -y postgresql
                    pg_ctlcluster 15 main start        (or: service postgresql start)
                    su postgres -c "psql -c \\"CREATE ROLE sluice LOGIN CREATEDB PASSWORD 'sluice'\\""
                    su postgres -c "createdb -O sluice sluice"
                  Or with Docker: docker run -d -p 5432:5432 -e POSTGRES_USER=sluice -e POSTGRES_PASSWORD=sluice postgres:15""";

        final String serverUrl;
        final String adminDatabase;
        final String parameters;
        final String user;
        final String password;

        private Postgres(String url, String user, String password) {
            Matcher matcher = URL.matcher(url);
            if (!matcher.matches()) {
                fail("SLUICE_TEST_PG_URL must look like jdbc:postgresql://host:port/[database], got " + url);
            }
            this.serverUrl = matcher.group(1);
            this.adminDatabase = matcher.group(2);
            this.parameters = matcher.group(3) == null ? "" : matcher.group(3);
            this.user = user;
            this.password = password;
        }

        static Postgres fromEnvironment() {
            return new Postgres(setting("SLUICE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/"),
                    setting("SLUICE_TEST_PG_USER", "sluice"), setting("SLUICE_TEST_PG_PASSWORD", "sluice"));
        }

        private static String setting(String name, String defaultValue) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? defaultValue : value;
        }

        String urlOf(String database) {
            return serverUrl + database + parameters;
        }

        String createDatabase() {
            String name = "sluice_it_" + System.currentTimeMillis() + "_"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
            try (Connection admin = admin(); Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
                return name;
            } catch (SQLException e) {
                return fail("cannot create a test database as user '" + user + "' on " + serverUrl + ": "
                        + e.getMessage() + HOW_TO_PROVIDE, e);
            }
        }

        void dropDatabase(String name) throws SQLException {
            try (Connection admin = admin(); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }

        long messageRows(String database) throws SQLException {
            try (Connection connection = DriverManager.getConnection(urlOf(database), user, password);
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM sluice_message")) {
                rows.next();
                return rows.getLong(1);
            }
        }

        String outcome(String database, String messageId) throws SQLException {
            try (Connection connection = DriverManager.getConnection(urlOf(database), user, password);
                 PreparedStatement select = connection.prepareStatement(
                         "SELECT state, responsestatus, responseheaders FROM sluice_message WHERE id = ?")) {
                select.setString(1, messageId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getString(1) + " " + row.getObject(2) + " "
                            + (row.getString(3) != null && row.getString(3).startsWith("{")) : "no row";
                }
            }
        }

        /**
         * Stores a copy of a row of the table under another id, with the time columns set to {@code time}: a row as
         * old as no test can wait for.
         */
        void copyRow(String database, String table, String id, String copyId, long time, String... timeColumns)
                throws SQLException {
            try (Connection connection = DriverManager.getConnection(urlOf(database), user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMP TABLE copied AS SELECT * FROM " + table + " WHERE id = '"
                        + requireIdentifier(id) + "'");
                StringBuilder update = new StringBuilder("UPDATE copied SET id = '" + requireIdentifier(copyId) + "'");
                for (String column : timeColumns) {
                    update.append(", ").append(column).append(" = ").append(time);
                }
                statement.execute(update.toString());
                statement.execute("INSERT INTO " + table + " SELECT * FROM copied");
                statement.execute("DROP TABLE copied");
            }
        }

        /** Copies one of the message's events under the number; answers it. */
        String copyEvent(String database, String messageId, String copyId) throws SQLException {
            copyRow(database, EVENTS, eventOf(database, messageId), copyId, 0);
            return copyId;
        }

        /** The number of one of the message's events. */
        String eventOf(String database, String messageId) throws SQLException {
            try (Connection connection = DriverManager.getConnection(urlOf(database), user, password);
                 PreparedStatement select = connection.prepareStatement(
                         "SELECT id FROM " + EVENTS + " WHERE message_id = ? LIMIT 1")) {
                select.setString(1, messageId);
                try (ResultSet row = select.executeQuery()) {
                    assertTrue(row.next(), "the message " + messageId + " has events");
                    return row.getString(1);
                }
            }
        }

        /** The table of events as the version before numbered events stored it, with two events of the message. */
        void formerEvents(String database, String messageId, long time) throws SQLException {
            try (Connection connection = DriverManager.getConnection(urlOf(database), user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE sluice_event (id VARCHAR(64) PRIMARY KEY, time BIGINT,"
                        + " state VARCHAR(16) NOT NULL, message_id VARCHAR(64) NOT NULL, url VARCHAR(4096),"
                        + " flow_key VARCHAR(250), labels VARCHAR(1000), responsestatus INTEGER, error VARCHAR(2000),"
                        + " nextdeliverytime BIGINT, queue_name VARCHAR(100), topicname VARCHAR(250),"
                        + " schedule_id VARCHAR(100))");
                statement.execute("CREATE INDEX sluice_event_time ON sluice_event (time)");
                statement.execute("INSERT INTO sluice_event (id, time, state, message_id, url, queue_name) VALUES ('"
                        + requireIdentifier("evt_" + time + "b") + "', " + time + ", 'CREATED', '"
                        + requireIdentifier(messageId) + "', 'http://127.0.0.1:9/former', 'former-queue')");
                statement.execute("INSERT INTO sluice_event (id, time, state, message_id, url, responsestatus)"
                        + " VALUES ('" + requireIdentifier("evt_" + time + "a") + "', " + (time + 1)
                        + ", 'DELIVERED', '" + messageId + "', 'http://127.0.0.1:9/former', 200)");
            }
        }

        /** The message table's index on the flow-control key, as earlier versions made it. */
        void messageKeyIndex(String database) throws SQLException {
            try (Connection connection = DriverManager.getConnection(urlOf(database), user, password)) {
                TableIndexes.createFormerFlowKeyIndex(connection);
            }
        }

        Set<String> nonUniqueIndexes(String database, String table) throws SQLException {
            try (Connection connection = DriverManager.getConnection(urlOf(database), user, password)) {
                return TableIndexes.nonUnique(connection, table);
            }
        }

        long count(String database, String table, String column, String value) throws SQLException {
            try (Connection connection = DriverManager.getConnection(urlOf(database), user, password);
                 PreparedStatement select = connection.prepareStatement(
                         "SELECT count(*) FROM " + table + " WHERE " + column + " = ?")) {
                select.setString(1, value);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        }

        /** Whether the table has a row with the id (a string, or an event's number written as one). */
        boolean exists(String database, String table, String id) throws SQLException {
            try (Connection connection = DriverManager.getConnection(urlOf(database), user, password);
                 PreparedStatement select = connection.prepareStatement(
                         "SELECT 1 FROM " + table + " WHERE CAST(id AS VARCHAR) = ?")) {
                select.setString(1, id);
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
        }

        private static String requireIdentifier(String id) {
            if (!id.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("not an id: " + id);
            }
            return id;
        }

        /** A connection to an existing database for CREATE/DROP DATABASE: the one in the URL, else postgres or sluice. */
        private Connection admin() throws SQLException {
            List<String> candidates = adminDatabase.isEmpty() ? List.of("postgres", "sluice", user)
                    : List.of(adminDatabase);
            SQLException last = null;
            for (String candidate : candidates) {
                try {
                    return DriverManager.getConnection(urlOf(candidate), user, password);
                } catch (SQLException e) {
                    if (last != null) {
                        e.addSuppressed(last);
                    }
                    last = e;
                    if (!"3D000".equals(e.getSQLState())) {
                        break; // not "database does not exist": the server is unreachable or refuses the login
                    }
                }
            }
            return fail("PostgreSQL is not reachable at " + serverUrl + " as user '" + user + "': "
                    + (last == null ? "" : last.getMessage()) + HOW_TO_PROVIDE, last);
        }
    }
}

package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

    private static final String BROKER_USER = "sluice-it";
    private static final String BROKER_PASSWORD = "it-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final Duration BROKER_START_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    private final Postgres postgres = Postgres.fromEnvironment();
    private Broker broker;
    private String database;
    private SluiceProcess sluice;
    private Sink sink;

    @BeforeAll
    void startProductionStack() throws Exception {
        database = postgres.createDatabase();
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
                "SLUICE_DB_PASSWORD", postgres.password));
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
        sluice.boot();
        report("Sluice restart (production mode)", sluice.lastBoot());

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

    private static void report(String what, Duration took) {
        System.out.printf("[ProductionModeIT] %s: %d ms%n", what, took.toMillis());
    }

    /** The standalone broker, run through broker/standalone/run-broker.sh exactly as an operator runs it. */
    static final class Broker {

        final int port;
        private final Process process;

        private Broker(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        static Broker start(Path workDir) throws Exception {
            Path script = Path.of(System.getProperty("sluice.broker.script", "broker/standalone/run-broker.sh"));
            if (!Files.isRegularFile(script)) {
                fail("broker script not found: " + script.toAbsolutePath());
            }
            // the downloaded and unpacked distribution is reused; the instance (its journal) starts empty
            deleteRecursively(workDir.resolve("instance"));
            Files.createDirectories(workDir);
            Path log = Files.createDirectories(Path.of("target", "blackbox")).resolve("standalone-broker.log");
            int port = SluiceProcess.freePort();
            ProcessBuilder builder = new ProcessBuilder("bash", script.toAbsolutePath().toString(),
                    workDir.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().put("SLUICE_BROKER_HOST", "127.0.0.1");
            builder.environment().put("SLUICE_BROKER_PORT", Integer.toString(port));
            builder.environment().put("SLUICE_BROKER_USER", BROKER_USER);
            builder.environment().put("SLUICE_BROKER_PASSWORD", BROKER_PASSWORD);
            builder.environment().put("SLUICE_BROKER_MEMORY", "512M");
            Instant started = Instant.now();
            Broker broker = new Broker(port, builder.start());
            broker.awaitPort(log);
            report("standalone broker start (script, port open)", Duration.between(started, Instant.now()));
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
        void stop() throws InterruptedException {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle handle : all) {
                try {
                    handle.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception stillRunning) {
                    handle.destroyForcibly();
                }
            }
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

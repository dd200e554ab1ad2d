package dev.sluice.launcher;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Entry point of {@code target/sluice.jar}: turns Sluice's settings into Payara Micro boot options, then boots the
 * Payara Micro uber jar it lives in. Settings that must be known before the server boots (HTTP port and threads, data
 * directory, broker address, database) are read here; {@link Setting} follows MicroProfile Config's naming so
 * {@code SLUICE_PORT}, {@code -Dsluice.port} and {@code sluice.port} mean the same thing. The resolved values are
 * published as system properties so the application's MicroProfile Config sees exactly what the launcher used.
 */
public final class Launcher {

    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
    /**
     * Artemis runs the delivery workers' onMessage on its global client pool, 8 threads per core by default: 16 on 2
     * cores, half the workers' sessions, each of which waits a few milliseconds for the start of its attempt to
     * commit. Too few threads cap deliveries per second whatever the CPU has left.
     */
    static final String BROKER_CLIENT_THREADS = "activemq.artemis.client.global.thread.pool.max.size";
    static final int BROKER_CLIENT_THREAD_COUNT = 96;

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        // With fewer than 3 cores the common pool has parallelism 1, and CompletableFuture's default async executor
        // then starts a new thread per task: java.net.http.HttpClient completes every response that way.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(
                    Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
        if (System.getProperty(BROKER_CLIENT_THREADS) == null) {
            System.setProperty(BROKER_CLIENT_THREADS, Integer.toString(BROKER_CLIENT_THREAD_COUNT));
        }
        Path dataDir = Path.of(Setting.of("sluice.data-dir", "sluice-data")).toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        System.setProperty("sluice.data-dir", dataDir.toString());
        List<String> extraArgs = new ArrayList<>(Arrays.asList(args));
        takePortOption(extraArgs);
        String port = Setting.published("sluice.port", "8080");
        BrokerAddress broker = BrokerAddress.resolve();
        DatabaseSettings.publish(dataDir);

        Path bootDir = Files.createDirectories(dataDir.resolve("boot"));
        Path preBoot = write(bootDir.resolve("pre-boot-commands.txt"), BootCommands.preBoot(HttpThreads.resolve()));
        Path postBoot = write(bootDir.resolve("post-boot-commands.txt"), BootCommands.postBoot(broker));

        Path runtimeDir = fresh(dataDir.resolve("payara"));
        List<String> payaraArgs = new ArrayList<>(List.of(
                "--port", port,
                "--rootdir", runtimeDir.toString(),
                "--nocluster",
                "--disablephonehome",
                "--prebootcommandfile", preBoot.toString(),
                "--postbootcommandfile", postBoot.toString()));
        payaraArgs.addAll(extraArgs);
        boot(payaraArgs.toArray(String[]::new));
    }

    /**
     * Payara Micro's own {@code --port N}, given to the jar, is taken as the {@code sluice.port} setting (and removed
     * from the arguments): the application probes its own API on that port to report readiness.
     */
    private static void takePortOption(List<String> args) {
        int at = args.indexOf("--port");
        if (at >= 0 && at + 1 < args.size()) {
            System.setProperty("sluice.port", args.get(at + 1));
            args.subList(at, at + 2).clear();
        }
    }

    /**
     * Payara's runtime directory holds no data of ours, only its unpacked domain; left over from the last run it
     * would redeploy stale applications, so every boot starts from an empty one.
     */
    private static Path fresh(Path runtimeDir) throws IOException {
        if (Files.exists(runtimeDir)) {
            try (var paths = Files.walk(runtimeDir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        return Files.createDirectories(runtimeDir);
    }

    private static Path write(Path file, List<String> lines) throws IOException {
        return Files.write(file, lines);
    }

    private static void boot(String[] args) throws Exception {
        Method main = Class.forName("fish.payara.micro.PayaraMicro").getMethod("main", String[].class);
        main.invoke(null, (Object) args);
    }

    /** Where the resource adapter connects: the embedded broker (in-VM), or a standalone one (TCP). */
    record BrokerAddress(boolean embedded, String host, String port, String user, String password) {

        static BrokerAddress resolve() {
            boolean embedded = Boolean.parseBoolean(Setting.published("sluice.broker.embedded", "true"));
            String host = embedded ? "127.0.0.1" : Setting.published("sluice.broker.host", "127.0.0.1");
            System.setProperty("sluice.broker.host", host);
            return new BrokerAddress(embedded, host,
                    Setting.published("sluice.broker.port", "61616"),
                    Setting.published("sluice.broker.user", "sluice"),
                    Setting.published("sluice.broker.password", "sluice"));
        }
    }

    /**
     * Payara resolves the datasource's {@code ${MPCONFIG=...}} placeholders before the application's own
     * microprofile-config.properties is visible, so the database settings are resolved here.
     */
    static final class DatabaseSettings {

        private DatabaseSettings() {
        }

        static void publish(Path dataDir) {
            // WRITE_DELAY=0: H2 otherwise writes commits up to 500 ms later, and a killed process would lose them;
            // QUERY_CACHE_SIZE: parsed statements kept per connection (8 by default), IN lists of several lengths too
            String url = Setting.published("sluice.db.url", "jdbc:h2:file:" + dataDir.resolve("db").resolve("sluice")
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64");
            Setting.published("sluice.db.datasource-class", url.startsWith("jdbc:postgresql:")
                    ? "org.postgresql.ds.PGSimpleDataSource" : "org.h2.Driver");
            Setting.published("sluice.db.user", "sluice");
            Setting.published("sluice.db.password", "sluice");
        }
    }

    /**
     * Threads serving the HTTP API: a fixed pool; requests beyond it wait in the listener's queue. At least 2: until the
     * API first answered, the readiness check asks it over loopback from within its own request.
     */
    static final class HttpThreads {

        static final String SETTING = "sluice.http.threads";

        private HttpThreads() {
        }

        static int resolve() {
            String value = Setting.published(SETTING, "64");
            try {
                int threads = Integer.parseInt(value.trim());
                if (threads >= 2) {
                    return threads;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw new IllegalArgumentException(SETTING + " must be a whole number of at least 2, was: " + value);
        }
    }

    /** asadmin commands Payara Micro runs before and after its boot. */
    static final class BootCommands {

        private static final String HTTP_THREAD_POOL =
                "set configs.config.server-config.thread-pools.thread-pool.http-thread-pool.";
        private static final String IN_VM = "ConnectorClassName="
                + "org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnectorFactory"
                + ":ConnectionParameters=serverId\\=0";

        private BootCommands() {
        }

        static List<String> preBoot(int httpThreads) {
            // EJB timers default to a 1 s minimum interval; the gatekeeper ticks in milliseconds.
            return List.of("set configs.config.server-config.ejb-container.ejb-timer-service."
                    + "minimum-delivery-interval-in-millis=5",
                    // DELETE /v2/topics/{name}/endpoints carries a JSON body; Grizzly refuses DELETE bodies (400)
                    // unless payloads of methods without defined semantics are allowed
                    "set configs.config.server-config.network-config.protocols.protocol.http-listener.http."
                            + "allow-payload-for-undefined-http-methods=true",
                    // min = max: Grizzly then hands requests to its threads through a lock-free queue; a pool that
                    // can grow (Payara's default, 2 to 200) parks and wakes them with a monitor
                    HTTP_THREAD_POOL + "max-thread-pool-size=" + httpThreads,
                    HTTP_THREAD_POOL + "min-thread-pool-size=" + httpThreads);
        }

        static List<String> postBoot(BrokerAddress broker) {
            // Post-boot commands run before the deployments, so the adapter starts with this address. The embedded
            // broker is reached in-VM (its acceptor vm://0): the adapter's archive carries the broker's classes and
            // the application loads them from there too, so both share the one in-VM registry.
            StringBuilder properties = new StringBuilder(broker.embedded() ? IN_VM
                    : "ConnectionParameters=host\\=" + broker.host() + ";port\\=" + broker.port());
            if (!broker.user().isEmpty()) {
                properties.append(":UserName=").append(escape(broker.user()))
                        .append(":Password=").append(escape(broker.password()));
            }
            if (broker.embedded()) {
                // No producer flow control: the credits of each new address (one per flow-control key) cost a
                // blocking round trip inside the publish transaction. The embedded broker pages when its memory is
                // full; its disk is the data directory, which Sluice watches itself (sluice.storage.max-disk-usage).
                // A standalone broker keeps flow control: it is what holds publishers back when its disk is full.
                properties.append(":ProducerWindowSize=-1");
            }
            return List.of("create-resource-adapter-config --property " + properties + " artemis",
                    // Artemis audits every message at INFO: noise, and a cost on the hot path
                    "set-log-levels org.apache.activemq.audit.base=WARNING:org.apache.activemq.audit.message=WARNING"
                            + ":org.apache.activemq.audit.resource=WARNING");
        }

        private static String escape(String value) {
            return value.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=");
        }
    }

    /** One setting, looked up like MicroProfile Config does: system property, then environment variable. */
    static final class Setting {

        private Setting() {
        }

        static String of(String name, String defaultValue) {
            String fromProperty = System.getProperty(name);
            if (fromProperty != null) {
                return fromProperty;
            }
            String fromEnvironment = System.getenv(name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase());
            return fromEnvironment != null ? fromEnvironment : defaultValue;
        }

        static String published(String name, String defaultValue) {
            String value = of(name, defaultValue);
            System.setProperty(name, value);
            return value;
        }
    }
}

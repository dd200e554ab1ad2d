package dev.sluice.incontainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.jboss.arquillian.config.descriptor.api.ArquillianDescriptor;
import org.jboss.arquillian.config.spi.ConfigurationPlaceholderResolver;
import org.jboss.arquillian.container.spi.event.container.AfterUnDeploy;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.descriptor.api.Descriptors;

/**
 * Client-side Arquillian extension (registered in META-INF/services) that prepares the Payara Micro the managed
 * adapter boots for each test class, the way {@code dev.sluice.launcher.Launcher} prepares production.
 * <p>
 * When Arquillian reads arquillian.xml it fills in the {@code ${sluice.it.*}} placeholders used there:
 * <ul>
 * <li>{@code sluice.it.run-dir}: a new directory {@code target/arquillian/run-<time>-<pid>} holding the boot files
 * below, Payara's root directory ({@code payara/}) and Sluice's data directories ({@code data-<n>/})</li>
 * <li>{@code sluice.it.http-port}: a free port for Payara's HTTP listener (the adapter's own random port is
 * 8080 + [0, 1000) and may hit a port other processes on this machine use)</li>
 * <li>{@code sluice.it.cluster-name}: a data grid name of this run alone, so no other Payara joins it</li>
 * </ul>
 * Before every deployment (= every Payara boot, one per Arquillian test class) it rewrites the files arquillian.xml
 * points at, so each boot starts clean: an empty Payara root directory, a new data directory (H2 database, broker
 * journal) and a new free broker port.
 * <ul>
 * <li>{@code pre-boot.txt}: EJB timers may tick every 5 ms (the gatekeeper ticks every 10 ms)</li>
 * <li>{@code post-boot.txt}: the adapter-wide broker address (in-VM, as the launcher sets it for the embedded
 * broker), then {@code deploy artemis.rar}: post-boot commands
 * run before the adapter's own {@code --deploy} of the test WAR, so the resource adapter is there first</li>
 * <li>{@code sluice.properties}: the system properties the launcher publishes ({@code --systemproperties}); the
 * datasource's {@code ${MPCONFIG=...}} placeholders are resolved before the WAR's microprofile-config.properties
 * is visible, so the database settings must come this way</li>
 * </ul>
 * Earlier runs' directories are deleted when a new run starts, unless the test JVM that made them still runs.
 */
public class PayaraMicroRun implements LoadableExtension, ConfigurationPlaceholderResolver {

    static final String PREFIX = "sluice.it.";
    static final String RUN_DIR = PREFIX + "run-dir";
    static final String HTTP_PORT = PREFIX + "http-port";
    /** Retry delays run a thousand times faster: 1000 s become 1 s. */
    static final String TIME_SCALE = "0.001";
    private static final String ADAPTER_TEMP_PREFIX = "arquillian-payara-micro";
    private static final AtomicInteger BOOTS = new AtomicInteger();

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(ConfigurationPlaceholderResolver.class, PayaraMicroRun.class);
        builder.observer(PayaraMicroRun.class);
    }

    // ---- once per test JVM: the run directory and the placeholders of arquillian.xml

    @Override
    public int precedence() {
        return -100;
    }

    @Override
    public ArquillianDescriptor resolve(ArquillianDescriptor descriptor) {
        String xml = descriptor.exportAsString();
        if (!xml.contains("${" + PREFIX)) {
            return descriptor;
        }
        for (var value : newRun().entrySet()) {
            xml = xml.replace("${" + value.getKey() + "}", value.getValue());
        }
        return Descriptors.importAs(ArquillianDescriptor.class).fromString(xml);
    }

    private static Map<String, String> newRun() {
        try {
            Path runs = Files.createDirectories(targetDir().resolve("arquillian"));
            deleteEarlierRuns(runs);
            Path run = Files.createDirectories(runs.resolve("run-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                    + ProcessHandle.current().pid()));
            System.setProperty(RUN_DIR, run.toString());
            System.setProperty(HTTP_PORT, Integer.toString(freePort()));
            return Map.of(
                    RUN_DIR, run.toString(),
                    HTTP_PORT, System.getProperty(HTTP_PORT),
                    PREFIX + "cluster-name", "sluice-it-" + run.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Payara Micro run directory", e);
        }
    }

    // ---- once per boot

    public void prepareBoot(@Observes BeforeDeploy event) throws IOException {
        String runDir = System.getProperty(RUN_DIR);
        if (runDir == null) {
            return; // arquillian.xml does not use this extension
        }
        Path run = Path.of(runDir);
        Path payaraRoot = run.resolve("payara");
        deleteRecursively(payaraRoot);
        Files.createDirectories(payaraRoot);
        Path dataDir = Files.createDirectories(run.resolve("data-" + BOOTS.incrementAndGet()));
        int brokerPort = freePort();
        Path rar = Path.of(required("sluice.rar")).toAbsolutePath();

        Files.write(run.resolve("pre-boot.txt"), List.of(
                "set configs.config.server-config.ejb-container.ejb-timer-service."
                        + "minimum-delivery-interval-in-millis=5"));
        Files.write(run.resolve("post-boot.txt"), List.of(
                "create-resource-adapter-config --property ConnectorClassName="
                        + "org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnectorFactory"
                        + ":ConnectionParameters=serverId\\=0"
                        + ":UserName=sluice:Password=sluice:ProducerWindowSize=-1 artemis",
                "deploy " + rar));

        Properties system = new Properties();
        system.setProperty("sluice.data-dir", dataDir.toString());
        // as the launcher publishes it: readiness asks the API on this port
        system.setProperty("sluice.port", System.getProperty(HTTP_PORT));
        system.setProperty("sluice.broker.embedded", "true");
        system.setProperty("sluice.broker.host", "127.0.0.1");
        system.setProperty("sluice.broker.port", Integer.toString(brokerPort));
        system.setProperty("sluice.broker.user", "sluice");
        system.setProperty("sluice.broker.password", "sluice");
        system.setProperty("sluice.db.url", "jdbc:h2:file:" + dataDir.resolve("db").resolve("sluice")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        system.setProperty("sluice.db.datasource-class", "org.h2.Driver");
        system.setProperty("sluice.db.user", "sluice");
        system.setProperty("sluice.db.password", "sluice");
        system.setProperty("sluice.token", "in-container-test-token");
        system.setProperty("sluice.delivery.time-scale", TIME_SCALE);
        // as the launcher sets it (Launcher.BROKER_CLIENT_THREAD_COUNT): a thread for each delivery worker session
        system.setProperty(ActiveMQClient.THREAD_POOL_MAX_SIZE_PROPERTY_KEY, "96");
        try (var out = Files.newBufferedWriter(run.resolve("sluice.properties"))) {
            system.store(out, "Sluice settings of Payara Micro boot " + BOOTS.get() + " (written by PayaraMicroRun)");
        }
    }

    /**
     * The adapter exports the test WAR into a temp directory of its own and never deletes it (16 MB per boot).
     * With {@code java.io.tmpdir} pointing into target/ (Failsafe argLine) those directories are ours: remove them
     * once the server is gone. Left alone when the temp directory is shared (/tmp).
     */
    public void removeExportedWar(@Observes AfterUnDeploy event) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (System.getProperty(RUN_DIR) == null || !tmp.startsWith(targetDir().normalize())) {
            return;
        }
        try (var entries = Files.list(tmp)) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith(ADAPTER_TEMP_PREFIX))
                    .toList()) {
                deleteRecursively(dir);
            }
        }
    }

    // ---- helpers

    private static Path targetDir() {
        return Path.of(required("sluice.war")).toAbsolutePath().getParent();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property
                    + " is not set: run the in-container tests through Maven Failsafe (mvn verify)");
        }
        return value;
    }

    /** Each run leaves its directory for post-mortems (H2 file, journal, boot files) until the next run. */
    private static void deleteEarlierRuns(Path runs) throws IOException {
        try (var earlier = Files.list(runs)) {
            for (Path run : earlier.filter(p -> p.getFileName().toString().startsWith("run-")).toList()) {
                if (!ownerAlive(run)) {
                    deleteRecursively(run);
                }
            }
        }
    }

    /** Run directories end in the pid of the test JVM that made them. */
    private static boolean ownerAlive(Path run) {
        String name = run.getFileName().toString();
        try {
            long pid = Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

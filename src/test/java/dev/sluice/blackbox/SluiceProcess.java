package dev.sluice.blackbox;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real artifact ({@code target/sluice.jar}) started as a separate process, exactly as a user starts it, with
 * free ports, its own data directory and a test token. Output goes to {@code target/blackbox/<name>.log}.
 */
public final class SluiceProcess implements AutoCloseable {

    public static final String TOKEN = "test-token";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);
    /** Short, so tests act at the moment readiness flips, as an orchestrator polling often would. */
    private static final Duration READINESS_POLL = Duration.ofMillis(20);

    private final String name;
    private final Path dataDir;
    private final Map<String, String> environment;
    private final int port;
    private final boolean portAsArgument;
    private Process process;
    private Duration lastBoot;

    private SluiceProcess(String name, Path dataDir, Map<String, String> environment, boolean portAsArgument)
            throws IOException {
        this.name = name;
        this.portAsArgument = portAsArgument;
        this.dataDir = dataDir;
        this.port = freePort();
        this.environment = new HashMap<>(environment);
        this.environment.putIfAbsent("SLUICE_BROKER_PORT", Integer.toString(freePort()));
    }

    /** Starts Sluice with the embedded default; extra settings as environment variables. */
    public static SluiceProcess start(String name, Map<String, String> settings) throws Exception {
        Path dataDir = Files.createTempDirectory("sluice-" + name + "-");
        SluiceProcess sluice = new SluiceProcess(name, dataDir, settings, false);
        sluice.boot();
        return sluice;
    }

    /** Starts Sluice with the embedded default, its HTTP port given as Payara Micro's {@code --port} argument. */
    public static SluiceProcess startWithPortArgument(String name, Map<String, String> settings) throws Exception {
        SluiceProcess sluice = new SluiceProcess(name, Files.createTempDirectory("sluice-" + name + "-"), settings,
                true);
        sluice.boot();
        return sluice;
    }

    public void boot() throws Exception {
        Path jar = Path.of(System.getProperty("sluice.jar", "target/sluice.jar"));
        Path log = Files.createDirectories(Path.of("target", "blackbox")).resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-jar", jar.toAbsolutePath().toString()));
        if (portAsArgument) {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (portAsArgument) {
            builder.environment().remove("SLUICE_PORT");
        } else {
            builder.environment().put("SLUICE_PORT", Integer.toString(port));
        }
        builder.environment().put("SLUICE_DATA_DIR", dataDir.toString());
        builder.environment().put("SLUICE_TOKEN", TOKEN);
        builder.environment().put("SLUICE_DELIVERY_TIME_SCALE", "0.001");
        builder.environment().putAll(environment);
        Instant started = Instant.now();
        process = builder.start();
        awaitReady(log);
        lastBoot = Duration.between(started, Instant.now());
    }

    private void awaitReady(Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(BOOT_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Sluice exited during boot, see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create(baseUrl() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                // Payara answers UP before the application is deployed; wait for Sluice's own check.
                if (ready.statusCode() == 200 && ready.body().contains("\"sluice\"")) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(READINESS_POLL.toMillis());
        }
        throw new IllegalStateException("Sluice was not ready within " + BOOT_TIMEOUT + ", see " + log);
    }

    /** A full garbage collection in the running Sluice ({@code jcmd GC.run}). */
    public void collectGarbage() throws IOException, InterruptedException {
        jcmd("GC.run");
    }

    /**
     * The running Sluice's Java threads ({@code jcmd Thread.print}), each as its block of the dump: the header line
     * ({@code "name" #id ...}), then its stack.
     */
    public List<String> threadDumps() throws IOException, InterruptedException {
        List<String> threads = new ArrayList<>();
        for (String block : jcmd("Thread.print").split("\\R\\s*\\R")) {
            String thread = block.strip();
            if (thread.startsWith("\"")) {
                threads.add(thread);
            }
        }
        return threads;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path fromThisJdk = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path output = Files.createTempFile("jcmd-", ".txt");
        try {
            Process jcmd = new ProcessBuilder(Files.isExecutable(fromThisJdk) ? fromThisJdk.toString() : "jcmd",
                    Long.toString(process.pid()), command)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                throw new IllegalStateException("jcmd " + command + " did not finish for Sluice " + name);
            }
            if (jcmd.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed for Sluice " + name);
            }
            return Files.readString(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** A connection to the embedded H2 database of this Sluice, which must be stopped (H2 locks its file). */
    public Connection embeddedDatabase() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db").resolve("sluice"), "sluice",
                "sluice");
    }

    public Path dataDir() {
        return dataDir;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Api api() {
        return new Api(baseUrl(), TOKEN);
    }

    public Duration lastBoot() {
        return lastBoot;
    }

    /** Stops like an operator would (SIGTERM) and waits. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Simulates a crash: SIGKILL, no shutdown hooks. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}

package dev.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The real artifact as a child process: {@code java -Xmx<heap> -jar target/sluice.jar} on free ports with a fresh data
 * directory and a known token; ready when {@code /health/ready} answers 200 and the token is accepted.
 */
final class SluiceProcess implements AutoCloseable {
    final int port;
    final String token = "bench-" + UUID.randomUUID();
    final Path dataDir;
    final Path log;
    private final Process process;
    final long bootMillis;

    SluiceProcess(Path jar, Path workDir, Map<String, String> env, String heap, int readySeconds) throws IOException {
        port = Command.freePort();
        dataDir = workDir.resolve("sluice-data");
        Command.deleteTree(dataDir);
        Files.createDirectories(dataDir);
        log = workDir.resolve("sluice.log");
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx" + heap, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SLUICE_PORT", Integer.toString(port));
        pb.environment().put("SLUICE_DATA_DIR", dataDir.toString());
        pb.environment().put("SLUICE_BROKER_PORT", Integer.toString(Command.freePort()));
        pb.environment().put("SLUICE_TOKEN", token);
        pb.environment().putAll(env);
        long start = System.nanoTime();
        process = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroyForcibly()));
        waitReady(readySeconds);
        bootMillis = (System.nanoTime() - start) / 1_000_000;
    }

    private void waitReady(int seconds) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("Sluice exited with " + process.exitValue() + "; see " + log);
            try {
                int health = http.send(HttpRequest.newBuilder(URI.create(base() + "/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                int auth = http.send(HttpRequest.newBuilder(URI.create(base() + "/v2/globalParallelism"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (health == 200 && auth == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            Command.sleep(500);
        }
        close();
        throw new IOException("Sluice not ready after " + seconds + " s; see " + log);
    }

    /** A JVM size such as {@code 1g} or {@code 512m}, in bytes. */
    static long bytes(String size) {
        long unit = Character.toLowerCase(size.charAt(size.length() - 1)) == 'g' ? 1L << 30 : 1L << 20;
        return Long.parseLong(size.substring(0, size.length() - 1)) * unit;
    }

    String base() { return "http://127.0.0.1:" + port; }

    long pid() { return process.pid(); }

    boolean alive() { return process.isAlive(); }

    /** Runs a full GC in Sluice (jcmd) so the next heap reading is the live heap. */
    void gc() { Command.run(60, java.util.List.of("jcmd", Long.toString(pid()), "GC.run"), Map.of()); }

    @Override
    public void close() { Command.stop(process, 20); }
}

package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Production mode's services: PostgreSQL on 127.0.0.1:5432 (role sluice/sluice, as .ci/run sets it up; the
 * database {@code sluice_bench} is dropped and re-created) and a standalone Artemis from
 * {@code broker/standalone/run-broker.sh} on a free port with an empty journal.
 */
final class ProductionServices implements AutoCloseable {
    static final String DB = "sluice_bench";
    private final Process broker;
    private final int brokerPort;
    private final String password = "bench";

    ProductionServices(Path project, Path work, String brokerHeap) throws IOException {
        Command.Result ready = Command.run(10, List.of("pg_isready", "-h", "127.0.0.1", "-p", "5432"), Map.of());
        if (!ready.ok()) throw new IOException("PostgreSQL is not reachable on 127.0.0.1:5432: " + ready.output());
        for (String sql : List.of("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)", "CREATE DATABASE " + DB)) {
            Command.Result r = Command.run(60, List.of("psql", "-h", "127.0.0.1", "-U", "sluice", "-d", "postgres",
                    "-v", "ON_ERROR_STOP=1", "-qc", sql), Map.of("PGPASSWORD", "sluice"));
            if (!r.ok()) throw new IOException("psql " + sql + ": " + r.output());
        }
        Path brokerWork = work.resolve("artemis");
        Command.deleteTree(brokerWork.resolve("instance/data"));   // an empty journal for every run
        Files.createDirectories(brokerWork);
        brokerPort = Command.freePort();
        Path log = work.resolve("broker.log");
        ProcessBuilder pb = new ProcessBuilder(project.resolve("broker/standalone/run-broker.sh").toString(),
                brokerWork.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SLUICE_BROKER_HOST", "127.0.0.1");
        pb.environment().put("SLUICE_BROKER_PORT", Integer.toString(brokerPort));
        pb.environment().put("SLUICE_BROKER_USER", "sluice");
        pb.environment().put("SLUICE_BROKER_PASSWORD", password);
        pb.environment().put("SLUICE_BROKER_MEMORY", brokerHeap.toUpperCase());
        broker = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Command.stop(broker, 5)));
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (true) {
            if (Files.exists(log) && Files.readString(log).contains("AMQ221007")) break;
            if (!broker.isAlive() || System.nanoTime() > deadline) {
                Command.stop(broker, 10);
                throw new IOException("standalone Artemis did not start; see " + log);
            }
            Command.sleep(500);
        }
    }

    Map<String, String> sluiceEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("SLUICE_BROKER_EMBEDDED", "false");
        env.put("SLUICE_BROKER_HOST", "127.0.0.1");
        env.put("SLUICE_BROKER_PORT", Integer.toString(brokerPort));
        env.put("SLUICE_BROKER_USER", "sluice");
        env.put("SLUICE_BROKER_PASSWORD", password);
        env.put("SLUICE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + DB);
        env.put("SLUICE_DB_USER", "sluice");
        env.put("SLUICE_DB_PASSWORD", "sluice");
        return env;
    }

    /** The broker's processes (the script execs Artemis, which may run the JVM as a child). */
    long[] brokerPids() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(broker.toHandle()), broker.descendants())
                .mapToLong(ProcessHandle::pid).toArray();
    }

    @Override
    public void close() { Command.stop(broker, 20); }
}

package dev.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine and software the numbers were measured on, and a short statement of the method. */
final class Machine {
    private Machine() {}

    static Map<String, String> describe(Path project, String redisVersion, String heap) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", cpu());
        m.put("cores (online)", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("memory", meminfo());
        m.put("OS", osRelease() + ", kernel " + Command.run(5, List.of("uname", "-r"), Map.of()).output());
        m.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("Sluice commit", Command.run(5, List.of("git", "-C", project.toString(), "log", "-1",
                "--format=%h %s (%ci)"), Map.of()).output());
        m.put("Sluice JVM", "`java -Xmx" + heap + " -jar target/sluice.jar`, defaults (global parallelism 200, gatekeeper tick 10 ms)");
        m.put("node", Command.run(5, List.of("node", "--version"), Map.of()).output());
        m.put("BullMQ", "bullmq 6.7.0 + ioredis 5.9.2 (bench/bullmq/package-lock.json)");
        m.put("Redis", redisVersion);
        m.put("PostgreSQL", Command.run(5, List.of("psql", "--version"), Map.of()).output());
        return m;
    }

    static String methodology(Settings s) {
        return "Every figure below was measured in this run; a scenario that could not run says so. Sluice is the real "
                + "artifact started by the bench on free loopback ports with a fresh data directory; the sink, the "
                + "producers and the bare-client baseline run in the bench JVM (one `System.nanoTime` clock). "
                + String.format("Producers: %d concurrent publishers, payload %d bytes; delivery concurrency of the "
                + "baselines: %d (Sluice's global parallelism); each Sluice gets %d s of load without flow control "
                + "before its first scenario (not measured: the JIT compiles for minutes on 2 cores); throughput: "
                + "warm-up %d s, measured %d s, drain cap %d s.%n",
                s.producers(), s.payloadBytes(), s.deliveryConcurrency(), s.jitWarmupSeconds(), s.warmupSeconds(),
                s.measureSeconds(), s.drainSeconds());
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("n/a");
        } catch (Exception e) {
            return "n/a";
        }
    }

    private static String meminfo() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Stats.f(Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0, 1) + " GiB").findFirst()
                    .orElse("n/a");
        } catch (Exception e) {
            return "n/a";
        }
    }

    private static String osRelease() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME"))
                    .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", "")).findFirst().orElse("Linux");
        } catch (Exception e) {
            return "Linux";
        }
    }
}

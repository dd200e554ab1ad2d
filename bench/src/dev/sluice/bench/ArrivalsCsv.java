package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The raw arrivals of a scenario, per key, in milliseconds since its first arrival: for analysis after a run. */
final class ArrivalsCsv {
    private ArrivalsCsv() {}

    /** Returns the origin: the first arrival's instant. */
    static long write(List<List<Sink.Arrival>> byKey, Path file) {
        long origin = byKey.stream().mapToLong(l -> l.get(0).atNanos()).min().orElse(0);
        StringBuilder csv = new StringBuilder("key,seq,retried,arrived_ms,answered_ms\n");
        for (List<Sink.Arrival> key : byKey) {
            for (Sink.Arrival a : key) {
                csv.append(a.key()).append(',').append(a.seq()).append(',').append(a.retried()).append(',')
                        .append(millis(a.atNanos() - origin)).append(',')
                        .append(millis(a.answeredNanos() - origin)).append('\n');
            }
        }
        try {
            Files.writeString(file, csv);
        } catch (IOException e) {
            System.out.println("  could not write " + file.getFileName() + ": " + e);
        }
        return origin;
    }

    private static String millis(long nanos) {
        return Stats.f(nanos / 1e6, 3).replace(",", "");
    }
}

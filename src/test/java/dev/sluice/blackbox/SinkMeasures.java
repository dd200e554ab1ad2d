package dev.sluice.blackbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What flow control promises, measured at the destination. */
final class SinkMeasures {

    /**
     * Arrival jitter between Sluice starting a request and the sink seeing it; windows are shrunk by this much so
     * two back-to-back fixed windows are never mistaken for one.
     */
    static final Duration JITTER = Duration.ofMillis(250);

    private SinkMeasures() {
    }

    /**
     * The most requests in one fixed window as the destination sees them: a window opens with the first request
     * after the previous window ended and lasts one period (less the measuring jitter).
     */
    static int maxStartsPerWindow(List<Sink.Received> requests, Duration period) {
        long length = period.minus(JITTER).toNanos();
        List<Long> arrivals = requests.stream().map(Sink.Received::arrivedNanos).sorted().toList();
        int max = 0;
        int count = 0;
        long windowStart = Long.MIN_VALUE;
        for (long arrival : arrivals) {
            if (windowStart == Long.MIN_VALUE || arrival - windowStart >= length) {
                windowStart = arrival;
                count = 0;
            }
            max = Math.max(max, ++count);
        }
        return max;
    }

    /** The most requests of this list in flight at once (between arrival and answer at the sink). */
    static int maxConcurrent(Sink sink, List<Sink.Received> requests) {
        List<long[]> events = new ArrayList<>();
        for (Sink.Received request : requests) {
            events.add(new long[] {request.arrivedNanos(), 1});
            events.add(new long[] {sink.answeredNanos(request), -1});
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int current = 0;
        int max = 0;
        for (long[] event : events) {
            current += (int) event[1];
            max = Math.max(max, current);
        }
        return max;
    }

    /** Arrival times in milliseconds after the first, for failure messages. */
    static List<Long> offsetsMillis(List<Sink.Received> requests) {
        long first = requests.stream().mapToLong(Sink.Received::arrivedNanos).min().orElse(0);
        return requests.stream().map(r -> (r.arrivedNanos() - first) / 1_000_000).sorted().toList();
    }

    static Duration span(List<Sink.Received> requests) {
        long first = requests.stream().mapToLong(Sink.Received::arrivedNanos).min().orElse(0);
        long last = requests.stream().mapToLong(Sink.Received::arrivedNanos).max().orElse(0);
        return Duration.ofNanos(last - first);
    }
}

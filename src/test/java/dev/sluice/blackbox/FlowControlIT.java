package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Flow control as the destination sees it: starts per window and requests in flight per key never exceed the
 * configured limits, and a backlog drains as fast as the limits allow. Destinations are /fc/{key}/{n}.
 */
class FlowControlIT extends AgainstSharedSluice {

    private static final Duration WAIT = Duration.ofSeconds(60);

    FlowControlIT(SluiceProcess sluice) {
        super(sluice);
    }

    @Test
    void docsExampleRateThreePerPeriodWithParallelismSeven() throws Exception {
        String key = key("docs-3-7");
        Duration period = Duration.ofSeconds(2);
        sink.answering((request, attempt) -> Sink.Answer.slow(Duration.ofMillis(300)));
        publish(key, 12, "parallelism=7, rate=3, period=2s");

        List<Sink.Received> starts = sink.await(r -> r.group().equals(key), 12, WAIT);
        assertEquals(12, starts.size());
        int maxPerWindow = SinkMeasures.maxStartsPerWindow(starts, period);
        assertEquals(3, maxPerWindow, "at most (and, with a backlog, exactly) 3 starts per window: "
                + SinkMeasures.offsetsMillis(starts));
        assertTrue(sink.maxInFlight(key) <= 7);
        // 12 messages at 3 per window: the last starts 3 periods after the first (ideal); allow one period more
        Duration drain = SinkMeasures.span(starts);
        report(key, maxPerWindow, sink.maxInFlight(key), drain, period.multipliedBy(3));
        assertTrue(drain.compareTo(period.multipliedBy(4)) <= 0, "drained in " + drain);
    }

    @Test
    void docsExampleRateTenWithParallelismTwentyAndLongCalls() throws Exception {
        String key = key("docs-10-20");
        Duration period = Duration.ofSeconds(1);
        Duration call = Duration.ofSeconds(4);
        sink.answering((request, attempt) -> Sink.Answer.slow(call));
        publish(key, 30, "rate=10, parallelism=20, period=1s");

        List<Sink.Received> starts = sink.await(r -> r.group().equals(key), 30, WAIT);
        assertEquals(30, starts.size());
        assertEquals(10, SinkMeasures.maxStartsPerWindow(starts, period), SinkMeasures.offsetsMillis(starts)
                .toString());
        assertEquals(20, sink.maxInFlight(key), "20 in flight, never more");
        long first = starts.stream().mapToLong(Sink.Received::arrivedNanos).min().orElseThrow();
        long startedBeforeFirstCompletion = starts.stream()
                .filter(r -> r.arrivedNanos() < first + call.toNanos() - SinkMeasures.JITTER.toNanos()).count();
        assertEquals(20, startedBeforeFirstCompletion, "10 in the first window, 10 in the next, then wait");
    }

    @Test
    void parallelismBoundsInFlightAndKeepsEverySlotBusyWithABacklog() throws Exception {
        String key = key("parallel");
        sink.answering((request, attempt) -> Sink.Answer.slow(Duration.ofMillis(200)));
        publish(key, 20, "parallelism=4");

        List<Sink.Received> starts = sink.await(r -> r.group().equals(key), 20, WAIT);
        assertEquals(20, starts.size());
        assertEquals(4, sink.maxInFlight(key));
        // 5 waves of 200 ms; allow one more wave for dispatch and timing slack
        Duration drain = SinkMeasures.span(starts);
        report(key, 0, sink.maxInFlight(key), drain, Duration.ofMillis(800));
        assertTrue(drain.compareTo(Duration.ofMillis(1_600)) <= 0, "slots left idle: drained in " + drain);
    }

    @Test
    void parallelismOneDeliversInPublishOrder() throws Exception {
        String key = key("fifo");
        List<String> ids = publish(key, 10, "parallelism=1");

        List<Sink.Received> starts = sink.await(r -> r.group().equals(key), 10, WAIT);
        assertEquals(ids, starts.stream().map(r -> r.header("Upstash-Message-Id")).toList());
        assertEquals(1, sink.maxInFlight(key));
    }

    @Test
    void twentyKeysAtOnceEachKeepsItsOwnLimits() throws Exception {
        sink.answering((request, attempt) -> Sink.Answer.slow(Duration.ofMillis(100)));
        List<String> keys = IntStream.range(0, 20).mapToObj(i -> key("many-" + i)).toList();
        StringBuilder batch = new StringBuilder("[");
        for (int round = 0; round < 6; round++) {
            for (String key : keys) {
                batch.append(batch.length() > 1 ? "," : "").append("{\"destination\":\"")
                        .append(sink.url("/fc/" + key + "/" + round)).append("\",\"headers\":{")
                        .append("\"upstash-flow-control-key\":\"").append(key).append("\",")
                        .append("\"upstash-flow-control-value\":\"rate=2, period=1s, parallelism=1\"}}");
            }
        }
        assertEquals(200, api.post("/v2/batch", batch.append("]").toString()).status());

        assertEquals(120, sink.await(r -> true, 120, WAIT).size());
        for (String key : keys) {
            List<Sink.Received> starts = sink.group(key);
            assertEquals(6, starts.size(), key);
            assertTrue(SinkMeasures.maxStartsPerWindow(starts, Duration.ofSeconds(1)) <= 2,
                    key + " " + SinkMeasures.offsetsMillis(starts));
            assertEquals(1, sink.maxInFlight(key), key);
            assertTrue(SinkMeasures.span(starts).compareTo(Duration.ofSeconds(3)) <= 0,
                    key + " drained in " + SinkMeasures.span(starts) + ", ideal 2 s");
        }
    }

    @Test
    void retriesCountAgainstTheRate() throws Exception {
        String key = key("retries");
        sink.answering((request, attempt) -> attempt == 1 ? Sink.Answer.status(500) : Sink.Answer.ok());
        publish(key, 4, "rate=2, period=1s");

        List<Sink.Received> attempts = sink.await(r -> r.group().equals(key), 8, WAIT);
        assertEquals(8, attempts.size(), "every message once failed, once delivered");
        assertEquals(2, SinkMeasures.maxStartsPerWindow(attempts, Duration.ofSeconds(1)));
    }

    @Test
    void mixedConfigsAllowTheHighestUntilTheOldMessagesAreGone() throws Exception {
        String key = key("mixed");
        sink.answering((request, attempt) -> Sink.Answer.slow(Duration.ofMillis(400)));
        publish(key, 6, "parallelism=3", "old");
        publish(key, 6, "parallelism=1", "new");

        List<Sink.Received> all = sink.await(r -> r.group().equals(key), 12, WAIT);
        assertEquals(12, all.size());
        List<Sink.Received> old = all.stream().filter(r -> r.bodyText().equals("old")).toList();
        long oldGone = old.stream().mapToLong(sink::answeredNanos).max().orElseThrow();
        // Sluice learns that the last old attempt ended a moment after the sink answered it (response read,
        // outcome recorded); starts granted in that moment still ran under the old, higher limit
        long endKnown = oldGone + Duration.ofMillis(300).toNanos();
        List<Sink.Received> newAfterOld = all.stream()
                .filter(r -> r.bodyText().equals("new") && r.arrivedNanos() > endKnown).toList();
        assertEquals(3, sink.maxInFlight(key), "the highest parallelism applies while both are undelivered");
        assertTrue(newAfterOld.size() >= 2, "some new messages start after the old ones are gone");
        assertEquals(1, SinkMeasures.maxConcurrent(sink, newAfterOld), "then the new config applies");
    }

    private List<String> publish(String key, int count, String config) {
        return publish(key, count, config, "x");
    }

    private List<String> publish(String key, int count, String config, String body) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(api.publishOk(sink.url("/fc/" + key + "/" + body + i), body, Map.of(
                    "Upstash-Flow-Control-Key", key, "Upstash-Flow-Control-Value", config)));
        }
        return ids;
    }

    private static String key(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void report(String key, int maxPerWindow, int maxInFlight, Duration drain, Duration ideal) {
        System.out.printf("%s: max starts/window %d, max in flight %d, drain %d ms (ideal %d ms)%n", key,
                maxPerWindow, maxInFlight, drain.toMillis(), ideal.toMillis());
    }
}

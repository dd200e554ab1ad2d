package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Once {@code /health/ready} reports the sluice check UP, the API takes publishes: Payara routes /v2 to the application
 * only a moment after the application started, and answered 404, then an empty 500, in between. Sluice gets its port
 * as {@code java -jar sluice.jar --port N}: the readiness check probes that port, not the default one. The API's
 * thread pool is set far below the producers: readiness (which probes the API from a request of its own) still comes
 * up, and the producers' publishes wait for a thread instead of being refused.
 */
class ReadinessIT {

    private static final int PRODUCERS = 32;
    private static final int PUBLISHES_EACH = 5;
    private static final int HTTP_THREADS = 3;
    private static final String HTTP_THREAD = "\"http-thread-pool::";
    /** Grizzly's pool whose threads wait on a lock-free queue; a pool that can grow is a {@code SyncThreadPool}. */
    private static final String FIXED_POOL = "org.glassfish.grizzly.threadpool.FixedThreadPool";

    @Test
    void everyPublishSentTheMomentReadinessIsUpIsAccepted() throws Exception {
        try (Sink sink = new Sink();
             // the port as Payara Micro's own option: readiness must probe the port Sluice listens on
             SluiceProcess sluice = SluiceProcess.startWithPortArgument("readiness",
                     Map.of("SLUICE_HTTP_THREADS", Integer.toString(HTTP_THREADS)))) {
            Api api = sluice.api();
            List<Future<List<String>>> producers = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
            List<String> messageIds = new ArrayList<>();
            try {
                for (int producer = 0; producer < PRODUCERS; producer++) {
                    String path = "/ready/" + producer;
                    producers.add(pool.submit(() -> publish(api, sink.url(path))));
                }
                for (Future<List<String>> producer : producers) {
                    messageIds.addAll(producer.get());
                }
            } finally {
                pool.shutdownNow();
            }

            assertEquals(PRODUCERS * PUBLISHES_EACH, messageIds.size());
            Set<String> delivered = sink.awaitMessages(messageIds, Duration.ofSeconds(60));
            assertEquals(Set.copyOf(messageIds), delivered, "every accepted message is delivered");
            List<String> httpThreads = sluice.threadDumps().stream().filter(dump -> dump.startsWith(HTTP_THREAD))
                    .toList();
            assertEquals(HTTP_THREADS, httpThreads.size(), "the API's threads are as many as configured");
            // all idle now: each waits for its next request in the fixed pool
            assertTrue(httpThreads.stream().allMatch(dump -> dump.contains(FIXED_POOL)),
                    "the API's threads wait in a fixed pool: " + httpThreads);
        }
    }

    private static List<String> publish(Api api, String destination) {
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < PUBLISHES_EACH; i++) {
            messageIds.add(api.publishOk(destination, "ready " + i, Map.of()));
        }
        return messageIds;
    }
}

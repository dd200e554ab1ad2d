package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A key's waitlist beyond {@code sluice.broker.key-memory-kb} is paged to disk by the embedded broker, that key's
 * alone: the paged messages survive a crash and go out in the order they were published.
 */
class PagedWaitlistIT {

    private static final int MESSAGES = 300;
    private static final String KEY = "paged";

    @Test
    void aPagedWaitlistSurvivesACrashAndGoesOutInPublishOrder() throws Exception {
        try (Sink sink = new Sink();
             SluiceProcess sluice = SluiceProcess.start("paged", Map.of("SLUICE_BROKER_KEY_MEMORY_KB", "16"))) {
            Api api = sluice.api();
            assertEquals(200, api.post("/v2/flowControl/" + KEY + "/pause", null).status());
            for (int first = 0; first < MESSAGES; first += 100) {
                assertEquals(200, api.post("/v2/batch", batch(sink, first, 100)).status());
            }
            assertEquals(200, api.post("/v2/flowControl/short/pause", null).status());
            for (int i = 0; i < 3; i++) {
                api.publishOk(sink.url("/short/" + i), "not paged", Map.of(
                        "Upstash-Flow-Control-Key", "short", "Upstash-Flow-Control-Value", "parallelism=1"));
            }

            assertEquals(MESSAGES, waitListSize(api));
            assertEquals(List.of("sluice.holding." + KEY), pagedHoldingAddresses(sluice.dataDir()),
                    "only the long waitlist is paged, not the short one");

            sluice.kill();
            sluice.boot();
            assertEquals(MESSAGES, waitListSize(api));
            assertEquals(200, api.post("/v2/flowControl/" + KEY + "/resume", null).status());

            List<String> delivered = sink.await(request -> request.uri().startsWith("/" + KEY + "/"), MESSAGES,
                    Duration.ofSeconds(60)).stream().map(Sink.Received::uri).toList();
            assertEquals(IntStream.range(0, MESSAGES).mapToObj(i -> "/" + KEY + "/" + i).toList(), delivered);
        }
    }

    private static String batch(Sink sink, int first, int count) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = first; i < first + count; i++) {
            batch.append(i == first ? "" : ",").append("{\"destination\":\"").append(sink.url("/" + KEY + "/" + i))
                    .append("\",\"body\":\"m").append(i).append("\",\"headers\":{\"Upstash-Flow-Control-Key\":\"")
                    .append(KEY).append("\",\"Upstash-Flow-Control-Value\":\"parallelism=1\"}}");
        }
        return batch.append("]").toString();
    }

    private static int waitListSize(Api api) {
        return api.get("/v2/flowControl/" + KEY).json().getInt("waitListSize");
    }

    /** The holding addresses with a paging store on disk: Artemis names each in its folder's address.txt. */
    private static List<String> pagedHoldingAddresses(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir.resolve("broker/paging"))) {
            return files.filter(file -> file.getFileName().toString().equals("address.txt"))
                    .map(PagedWaitlistIT::read).map(String::trim)
                    .filter(address -> address.startsWith("sluice.holding")).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.sluice.schedules.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.publish.entity.RequestHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulesResourceTest {

    @Test
    void storesTheMessagesConfigurationButNotTheSchedulesOwnHeaders() {
        Map<String, List<String>> request = new LinkedHashMap<>();
        request.put("authorization", List.of("Bearer t"));
        request.put("content-type", List.of("application/json"));
        request.put("upstash-cron", List.of("* * * * *"));
        request.put("Upstash-Schedule-Id", List.of("s1"));
        request.put("upstash-telemetry-sdk", List.of("upstash-qstash-js@2.12.0"));
        request.put("upstash-retries", List.of("2"));
        request.put("upstash-forward-x-a", List.of("1"));
        request.put("user-agent", List.of("node"));

        assertEquals(Map.of("content-type", List.of("application/json"), "upstash-retries", List.of("2"),
                        "upstash-forward-x-a", List.of("1")),
                SchedulesResource.messageHeaders(new RequestHeaders(request)));
    }
}

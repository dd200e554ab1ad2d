package dev.sluice.queues.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.platform.entity.InvalidInput;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueuesResourceTest {

    private static JsonValue json(String text) {
        return Json.createReader(new java.io.StringReader("[" + text + "]")).readArray().get(0);
    }

    @Test
    void parallelismDefaultsToOneAndMustBeAPositiveInteger() {
        assertEquals(1, QueuesResource.parallelism(null));
        assertEquals(1, QueuesResource.parallelism(JsonValue.NULL));
        assertEquals(5, QueuesResource.parallelism(json("5")));
        for (String bad : List.of("0", "-1", "1.5", "\"2\"", "1001", "true")) {
            assertThrows(InvalidInput.class, () -> QueuesResource.parallelism(json(bad)), bad);
        }
    }

    @Test
    void pausedDefaultsToFalseAndMustBeABoolean() {
        assertFalse(QueuesResource.paused(null));
        assertTrue(QueuesResource.paused(json("true")));
        assertFalse(QueuesResource.paused(json("false")));
        assertThrows(InvalidInput.class, () -> QueuesResource.paused(json("\"yes\"")));
    }
}

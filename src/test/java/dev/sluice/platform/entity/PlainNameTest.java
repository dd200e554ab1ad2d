package dev.sluice.platform.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlainNameTest {

    @Test
    void acceptsLettersDigitsDashUnderscoreDot() {
        assertEquals("my-queue_1.v2", PlainName.check("my-queue_1.v2", "queue name"));
        assertEquals("a".repeat(100), PlainName.check("a".repeat(100), "queue name"));
    }

    @Test
    void rejectsEverythingElse() {
        for (String bad : List.of("", "a b", "a/b", "a:b", "é", ".", "..", "a?b", "a".repeat(101))) {
            InvalidInput error = assertThrows(InvalidInput.class, () -> PlainName.check(bad, "queue name"), bad);
            assertEquals(true, error.getMessage().startsWith("queue name"), error.getMessage());
        }
        assertThrows(InvalidInput.class, () -> PlainName.check(null, "URL group name"));
    }
}

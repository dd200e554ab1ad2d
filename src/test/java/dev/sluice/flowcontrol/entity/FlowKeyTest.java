package dev.sluice.flowcontrol.entity;

import dev.sluice.platform.entity.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "user-42", "tenant_1.orders:eu@v2+x=y~z", "ABCxyz0123456789", "..."})
    void acceptsTheSafeSet(String key) {
        assertEquals(key, new FlowKey(key).value());
    }

    @Test
    void acceptsTwoHundredFiftyCharacters() {
        assertEquals(250, new FlowKey("k".repeat(250)).value().length());
    }

    @Test
    void rejectsLongerKeysNamingTheLength() {
        InvalidInput invalid = assertThrows(InvalidInput.class, () -> new FlowKey("k".repeat(251)));
        assertTrue(invalid.getMessage().startsWith("Upstash-Flow-Control-Key"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("251"), invalid.getMessage());
    }

    @Test
    void rejectsEmptyAndNull() {
        assertThrows(InvalidInput.class, () -> new FlowKey(""));
        assertThrows(InvalidInput.class, () -> new FlowKey(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a b", "a*", "#a", "a?b", "a%20", "a\"b", "a'b", "a\\b", "ä", "a\tb", "a,b",
            "a;b", "a&b", "a|b", "a<b", "a!b", "a$b", "(a)", "a[b]", "a{b}", "a\u0000"})
    void rejectsUnsafeCharactersNamingTheCharacter(String key) {
        InvalidInput invalid = assertThrows(InvalidInput.class, () -> new FlowKey(key));
        String bad = key.codePoints().filter(c -> !Character.isLetterOrDigit(c) || c > 127)
                .filter(c -> "-_.:@+=~".indexOf(c) < 0)
                .mapToObj(Character::toString).findFirst().orElseThrow();
        assertTrue(invalid.getMessage().startsWith("Upstash-Flow-Control-Key"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("\"" + bad + "\""), invalid.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void rejectsDotSegments(String key) {
        assertThrows(InvalidInput.class, () -> new FlowKey(key));
    }
}

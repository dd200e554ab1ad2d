package dev.sluice.signing.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    private static final String A = "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r";
    private static final String B = "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs";

    @Test
    void generatedKeysLookLikeQStashKeysAndAreLongEnoughForHs256() {
        SigningKeys keys = SigningKeys.generate();

        for (String key : Set.of(keys.current(), keys.next())) {
            assertTrue(key.matches("sig_[0-9A-Za-z]{28}"), key);
            assertTrue(key.getBytes(StandardCharsets.UTF_8).length >= SigningKeys.MIN_BYTES);
        }
        assertNotEquals(keys.current(), keys.next());
    }

    @Test
    void generatedKeysDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(SigningKeys.newKey()));
        }
    }

    @Test
    void rotationPromotesNextAndGeneratesAFreshNext() {
        SigningKeys keys = new SigningKeys(A, B);

        SigningKeys rotated = keys.rotate();

        assertEquals(B, rotated.current());
        assertNotEquals(A, rotated.next());
        assertNotEquals(B, rotated.next());
        assertTrue(rotated.next().startsWith("sig_"));
        assertEquals(rotated.next(), rotated.rotate().current());
    }

    @Test
    void refusesMissingOrShortKeys() {
        assertThrows(IllegalArgumentException.class, () -> new SigningKeys(null, B));
        assertThrows(IllegalArgumentException.class, () -> new SigningKeys(A, " "));
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> new SigningKeys("sig_tooShort", B));
        assertTrue(shortKey.getMessage().contains("32 bytes"), shortKey.getMessage());
    }

    @Test
    void nothingConfiguredMeansStoredOrGeneratedKeys() {
        assertEquals(Optional.empty(), SigningKeys.configured(Optional.empty(), Optional.empty()));
        assertEquals(Optional.empty(), SigningKeys.configured(Optional.of(" "), Optional.of("")));
    }

    @Test
    void configuredKeysAreUsedAsGiven() {
        assertEquals(Optional.of(new SigningKeys(A, B)), SigningKeys.configured(Optional.of(A), Optional.of(B)));
        assertEquals(Optional.of(new SigningKeys(A, B)),
                SigningKeys.configured(Optional.of(" " + A + "\n"), Optional.of(B)));
    }

    @Test
    void aConfiguredCurrentKeyAloneIsAlsoNext() {
        assertEquals(Optional.of(new SigningKeys(A, A)), SigningKeys.configured(Optional.of(A), Optional.empty()));
    }

    @Test
    void aConfiguredNextKeyWithoutCurrentIsAMistake() {
        assertThrows(IllegalArgumentException.class,
                () -> SigningKeys.configured(Optional.empty(), Optional.of(B)));
    }
}

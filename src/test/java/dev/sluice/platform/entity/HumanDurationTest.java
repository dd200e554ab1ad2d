package dev.sluice.platform.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HumanDurationTest {

    static final String HEADER = "Upstash-Delay";

    static Duration parse(String text) {
        return HumanDuration.parse(text, HEADER);
    }

    static String failure(String text) {
        return assertThrows(InvalidInput.class, () -> parse(text)).getMessage();
    }

    @ParameterizedTest
    @CsvSource({
            "0, PT0S",
            "30, PT30S",
            "1.5, PT1.5S",
            "0.001, PT0.001S",
            "007, PT7S",
            "86400, PT24H"})
    void bareNumberMeansSeconds(String text, Duration expected) {
        assertEquals(expected, parse(text));
    }

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "1.5ms, PT0.0015S",
            "0ms, PT0S",
            "10s, PT10S",
            "1.5s, PT1.5S",
            "5m, PT5M",
            "2.5m, PT2M30S",
            "2h, PT2H",
            "0.5h, PT30M",
            "1d, PT24H",
            "7d, PT168H",
            "1.25d, PT30H"})
    void numberWithUnit(String text, Duration expected) {
        assertEquals(expected, parse(text));
    }

    @ParameterizedTest
    @CsvSource({
            "1d10h30m, PT34H30M",
            "1h30m5s, PT1H30M5S",
            "1m30s, PT1M30S",
            "1s500ms, PT1.5S",
            "1d1h1m1s1ms, PT25H1M1.001S",
            "2d5s, PT48H5S",
            "1.5h30m, PT2H",
            "0h0m0s, PT0S"})
    void compoundInDecreasingUnits(String text, Duration expected) {
        assertEquals(expected, parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {" 30s", "30s ", "  30s\t", "\n30s\r\n", "\u200330s"})
    void surroundingWhitespaceIsTolerated(String text) {
        assertEquals(Duration.ofSeconds(30), parse(text));
    }

    @Test
    void keepsNanosecondPrecisionAndTruncatesBelow() {
        assertEquals(Duration.ofNanos(1), parse("0.000000001"));
        assertEquals(Duration.ofNanos(1_500), parse("0.0015ms"));
        assertEquals(Duration.ZERO, parse("0.0000000009s"));
    }

    @Test
    void garbageNamesHeaderAndValue() {
        assertEquals("Upstash-Delay: invalid duration \"abc\" (use e.g. 30s, 5m, 1h30m)", failure("abc"));
    }

    @Test
    void headerNameComesFromCaller() {
        InvalidInput failure = assertThrows(InvalidInput.class, () -> HumanDuration.parse("soon", "Upstash-Timeout"));
        assertEquals("Upstash-Timeout: invalid duration \"soon\" (use e.g. 30s, 5m, 1h30m)", failure.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void emptyIsRejected(String text) {
        assertEquals("Upstash-Delay: invalid duration \"\" (empty; use e.g. 30s, 5m, 1h30m)", failure(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-5s", "-1.5", "-0", "-1h30m"})
    void negativeIsRejected(String text) {
        assertEquals("Upstash-Delay: invalid duration \"" + text + "\" (must not be negative)", failure(text));
    }

    @ParameterizedTest
    @CsvSource({
            "10x, x",
            "10sec, sec",
            "5min, min",
            "1w, w",
            "2y, y",
            "10S, S",
            "1H, H",
            "3us, us",
            "3ns, ns",
            "1h30x, x"})
    void unknownUnitIsNamed(String text, String unit) {
        assertEquals("Upstash-Delay: invalid duration \"" + text + "\" (unknown unit \"" + unit
                + "\"; use ms, s, m, h or d)", failure(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1h30", "1d10h30m5s100ms5", "10s5"})
    void missingTrailingUnitIsNamed(String text) {
        String lastNumber = text.replaceAll(".*[a-z]", "");
        assertEquals("Upstash-Delay: invalid duration \"" + text + "\" (missing unit after " + lastNumber
                + "; use e.g. 30s, 5m, 1h30m)", failure(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30m1h", "1s1m", "500ms1s", "1h1h", "1m30s20s", "1s1ms1s"})
    void unitsOutOfOrderOrRepeatedAreRejected(String text) {
        assertEquals("Upstash-Delay: invalid duration \"" + text
                + "\" (units must appear once each, from largest to smallest, e.g. 1d10h30m)", failure(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s", "ms", "h30m", "+5", "+5s", ".5", ".5s", "1.", "1.s", "1..5", "1.5.5", "1,5",
            "1 h", "1h 30m", "1h,30m", "30s!", "1e3", "0x10", "NaN", "Infinity", "PT30S", "1_000", "١٢", "5 s"})
    void garbageIsRejected(String text) {
        String message = failure(text);
        assertTrue(message.startsWith("Upstash-Delay: invalid duration \"" + text + "\" ("), message);
    }

    @Test
    void overflowIsRejected() {
        assertEquals("Upstash-Delay: invalid duration \"4611686018427387904ms\" (too large)",
                failure("4611686018427387904ms"));
        assertEquals("Upstash-Delay: invalid duration \"4611686018427387903.5ms\" (too large)",
                failure("4611686018427387903.5ms"));
        assertEquals("Upstash-Delay: invalid duration \"99999999999999999999d\" (too large)",
                failure("99999999999999999999d"));
        assertEquals("Upstash-Delay: invalid duration \"9999999999999999999\" (too large)",
                failure("9999999999999999999"));
    }

    @Test
    void largestRepresentableValueIsAccepted() {
        Duration largest = parse("4611686018427387903ms");
        assertEquals(HumanDuration.MAX_MILLIS, largest.toMillis());
        long nowEpochMillis = System.currentTimeMillis();
        assertTrue(nowEpochMillis + largest.toMillis() > nowEpochMillis, "adding it to now must not overflow");
        assertEquals(Duration.ofDays(36_500), parse("36500d"));
    }

    @Test
    void overlongValueIsShortenedInMessage() {
        String text = "1".repeat(200) + "s";
        String message = failure(text);
        assertTrue(message.contains("\"" + "1".repeat(64) + "...\""), message);
        assertTrue(message.endsWith("(too long; use e.g. 30s, 5m, 1h30m)"), message);
        assertTrue(message.length() < 150, message);
    }

    @Test
    void longestAcceptedLengthStillParses() {
        String text = "0".repeat(63) + "1";
        assertEquals(64, text.length());
        assertEquals(Duration.ofSeconds(1), parse(text));
    }

    @Test
    void randomInputIsEitherADurationOrInvalidInput() {
        String alphabet = "0123456789.-+ msdhxy";
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(20);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                assertTrue(!parse(text.toString()).isNegative(), text::toString);
            } catch (InvalidInput expected) {
                assertTrue(expected.getMessage().startsWith("Upstash-Delay: invalid duration \""), expected::getMessage);
            }
        }
    }
}

package dev.sluice.delivery.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    // Wed, 21 Oct 2015 07:28:00 GMT
    static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

    static Function<String, Optional<String>> headers(String... namesAndValues) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return name -> Optional.ofNullable(headers.get(name));
    }

    static Optional<Duration> retryAfter(String value) {
        return RetryAfter.from(headers("Retry-After", value), NOW);
    }

    @ParameterizedTest
    @CsvSource({
            "0, PT0S",
            "1, PT1S",
            "120, PT2M",
            "1.5, PT1.5S",
            "0.25, PT0.25S",
            "' 30 ', PT30S",
            "86400, PT24H"})
    void seconds(String value, Duration expected) {
        assertEquals(Optional.of(expected), retryAfter(value));
    }

    @Test
    void zeroMeansRetryImmediately() {
        assertEquals(Optional.of(Duration.ZERO), retryAfter("0"));
    }

    @ParameterizedTest
    @CsvSource({
            "'Wed, 21 Oct 2015 07:28:30 GMT', PT30S",
            "'Wed, 21 Oct 2015 08:28:00 GMT', PT1H",
            "'Thu, 22 Oct 2015 07:27:59 GMT', PT23H59M59S",
            "'21 Oct 2015 07:29:00 GMT', PT1M",
            "'Wed, 21 Oct 2015 09:28:00 +0200', PT0S",
            "'Wed, 21 Oct 2015 07:28:00 GMT', PT0S",
            "'Tue, 20 Oct 2015 07:28:00 GMT', PT0S",
            "'Mon, 1 Jan 1990 00:00:00 GMT', PT0S"})
    void httpDateMeansTheTimeUntilThen(String value, Duration expected) {
        assertEquals(Optional.of(expected), retryAfter(value));
    }

    @ParameterizedTest
    @CsvSource({
            "6m5s, PT6M5S",
            "1h2m3.5s, PT1H2M3.5S",
            "250ms, PT0.25S",
            "1s, PT1S",
            "0s, PT0S",
            "6m0s, PT6M",
            "1.5h, PT1H30M",
            "20ms, PT0.02S",
            "100us, PT0.0001S",
            "100µs, PT0.0001S",
            "100μs, PT0.0001S",
            "1500ns, PT0.0000015S",
            ".5s, PT0.5S",
            "1.s, PT1S",
            "30s1m, PT1M30S",
            "1m1m, PT2M"})
    void goDuration(String value, Duration expected) {
        assertEquals(Optional.of(expected), retryAfter(value));
    }

    @ParameterizedTest
    @CsvSource({
            "1445412510, PT30S",
            "1445412480, PT0S",
            "1000000000, PT0S",
            "1445416080.5, PT1H"})
    void largeNumbersAreUnixTimestamps(String value, Duration expected) {
        assertEquals(Optional.of(expected), retryAfter(value));
    }

    @Test
    void justBelowTimestampRangeIsSecondsCappedAtADay() {
        assertEquals(Optional.of(Duration.ofDays(1)), retryAfter("999999999"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"86401", "100000", "25h", "2000000000", "99999999999999999999999999999999",
            "Fri, 01 Jan 2100 00:00:00 GMT", "1000000h"})
    void cappedAtOneDay(String value) {
        assertEquals(Optional.of(Duration.ofDays(1)), retryAfter(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "soon", "-1", "-5s", "+5", "1e3", "5 s", "5S", "5sec", "1d", "0x10", "NaN",
            "10, 20", "Wednesday, 21-Oct-15 07:28:30 GMT", "Wed Oct 21 07:28:30 2015", "2015-10-21T07:28:30Z",
            "Thu, 21 Oct 2015 07:28:30 GMT", "Wed, 32 Oct 2015 07:28:30 GMT", "PT30S", "1.", ".5", "s", "1h-5m",
            "1111111111111111111111111111111111111111111111111111111111111111111s"})
    void unusableValueIsIgnored(String value) {
        assertEquals(Optional.empty(), retryAfter(value));
    }

    @Test
    void noHeadersMeansNoOpinion() {
        assertEquals(Optional.empty(), RetryAfter.from(name -> Optional.empty(), NOW));
    }

    @Test
    void headersAreReadInOrder() {
        List<String> asked = new ArrayList<>();
        RetryAfter.from(name -> {
            asked.add(name);
            return Optional.empty();
        }, NOW);
        assertEquals(List.of("Retry-After", "X-RateLimit-Reset", "X-RateLimit-Reset-Requests",
                "X-RateLimit-Reset-Tokens"), asked);
        assertEquals(asked, RetryAfter.HEADERS);
    }

    @Test
    void retryAfterWinsOverRateLimitHeaders() {
        assertEquals(Optional.of(Duration.ofSeconds(5)), RetryAfter.from(headers(
                "Retry-After", "5",
                "X-RateLimit-Reset", "10",
                "X-RateLimit-Reset-Requests", "20s",
                "X-RateLimit-Reset-Tokens", "30s"), NOW));
    }

    @Test
    void firstUsableHeaderWins() {
        assertEquals(Optional.of(Duration.ofSeconds(10)), RetryAfter.from(headers(
                "Retry-After", "later",
                "X-RateLimit-Reset", "10",
                "X-RateLimit-Reset-Requests", "20s"), NOW));
        assertEquals(Optional.of(Duration.ofSeconds(20)), RetryAfter.from(headers(
                "X-RateLimit-Reset", "",
                "X-RateLimit-Reset-Requests", "20s",
                "X-RateLimit-Reset-Tokens", "30s"), NOW));
        assertEquals(Optional.of(Duration.ofMillis(6_500)), RetryAfter.from(headers(
                "X-RateLimit-Reset-Requests", "-1s",
                "X-RateLimit-Reset-Tokens", "6.5s"), NOW));
    }

    @Test
    void zeroIsUsableAndStopsTheSearch() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.from(headers(
                "Retry-After", "0",
                "X-RateLimit-Reset", "60"), NOW));
    }

    @Test
    void dateInThePastStopsTheSearchWithZero() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.from(headers(
                "Retry-After", "Tue, 20 Oct 2015 07:28:00 GMT",
                "X-RateLimit-Reset", "60"), NOW));
    }

    @Test
    void openAiStyleHeaders() {
        assertEquals(Optional.of(Duration.ofMillis(1_000)), RetryAfter.from(headers(
                "x-ratelimit-reset-requests", "1s",
                "x-ratelimit-reset-tokens", "6m0s"), NOW));
        assertEquals(Optional.of(Duration.ofMinutes(6)), RetryAfter.from(headers(
                "x-ratelimit-reset-tokens", "6m0s"), NOW));
    }
}

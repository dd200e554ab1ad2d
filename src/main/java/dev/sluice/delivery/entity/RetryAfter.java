package dev.sluice.delivery.entity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long an endpoint asked us to wait before retrying, read from its response headers. The first of
 * {@link #HEADERS} holding a usable value wins; a value may be
 * <ul>
 * <li>seconds, integer or decimal: {@code 120}, {@code 1.5} ({@code 0} means retry immediately);</li>
 * <li>a Unix timestamp in seconds, as GitHub and others send in {@code X-RateLimit-Reset}: any number of at least
 * {@value #EPOCH_SECONDS_FROM} (2001-09-09), because nobody means a delay of 31 years or more;</li>
 * <li>an RFC 1123 HTTP date: {@code Wed, 21 Oct 2015 07:28:00 GMT};</li>
 * <li>a Go duration as OpenAI sends it: {@code 6m5s}, {@code 1h2m3.5s}, {@code 250ms}.</li>
 * </ul>
 * Moments in the past mean zero, every delay is capped at one day, unusable values are skipped.
 */
public final class RetryAfter {

    public static final List<String> HEADERS = List.of(
            "Retry-After", "X-RateLimit-Reset", "X-RateLimit-Reset-Requests", "X-RateLimit-Reset-Tokens");
    static final long EPOCH_SECONDS_FROM = 1_000_000_000L;
    private static final Duration MAX_DELAY = Backoff.MAX_DELAY;
    private static final int MAX_LENGTH = 64;
    private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern GO_DURATION = Pattern.compile("(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|μs|ms|s|m|h))+");
    private static final Pattern GO_COMPONENT = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private RetryAfter() {
    }

    /**
     * @param responseHeader looks a response header up by name (case-insensitively, as HTTP header names are)
     */
    public static Optional<Duration> from(Function<String, Optional<String>> responseHeader, Instant now) {
        for (String header : HEADERS) {
            Optional<Duration> delay = responseHeader.apply(header).flatMap(value -> delay(value, now));
            if (delay.isPresent()) {
                return delay;
            }
        }
        return Optional.empty();
    }

    private static Optional<Duration> delay(String value, Instant now) {
        String text = value.strip();
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        return secondsOrTimestamp(text, now)
                .or(() -> httpDate(text, now))
                .or(() -> goDuration(text))
                .map(RetryAfter::capped);
    }

    private static Optional<Duration> secondsOrTimestamp(String text, Instant now) {
        if (!SECONDS.matcher(text).matches()) {
            return Optional.empty();
        }
        BigDecimal seconds = new BigDecimal(text);
        if (seconds.compareTo(BigDecimal.valueOf(EPOCH_SECONDS_FROM)) >= 0) {
            return Optional.of(until(Instant.ofEpochSecond(seconds.min(BigDecimal.valueOf(Instant.MAX.getEpochSecond()))
                    .longValue()), now));
        }
        return Optional.of(ofNanos(seconds.movePointRight(9)));
    }

    private static Optional<Duration> httpDate(String text, Instant now) {
        try {
            return Optional.of(until(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(), now));
        } catch (DateTimeException notADate) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> goDuration(String text) {
        if (!GO_DURATION.matcher(text).matches()) {
            return Optional.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher component = GO_COMPONENT.matcher(text);
        while (component.find()) {
            nanos = nanos.add(new BigDecimal(normalized(component.group(1))).multiply(nanosPer(component.group(2))));
        }
        return Optional.of(ofNanos(nanos));
    }

    /** Go accepts "1." and ".5"; BigDecimal wants a digit on both sides. */
    private static String normalized(String number) {
        String leading = number.startsWith(".") ? "0" + number : number;
        return leading.endsWith(".") ? leading + "0" : leading;
    }

    private static BigDecimal nanosPer(String unit) {
        return BigDecimal.valueOf(switch (unit) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "ns" -> 1L;
            default -> 1_000L; // us, µs (micro sign) and μs (Greek mu)
        });
    }

    private static Duration until(Instant moment, Instant now) {
        return moment.isAfter(now) ? Duration.between(now, moment) : Duration.ZERO;
    }

    private static Duration ofNanos(BigDecimal nanos) {
        BigDecimal cappedNanos = nanos.min(BigDecimal.valueOf(MAX_DELAY.toNanos()));
        return Duration.ofNanos(cappedNanos.setScale(0, RoundingMode.DOWN).longValueExact());
    }

    private static Duration capped(Duration delay) {
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
}

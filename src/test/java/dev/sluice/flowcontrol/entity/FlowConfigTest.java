package dev.sluice.flowcontrol.entity;

import dev.sluice.platform.entity.InvalidInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowConfigTest {

    static final String SHAPE = "Upstash-Flow-Control-Value should be either rate=X or parallelism=Y, "
            + "or both as comma-separated values";

    @Test
    void parsesWhatTheSdkSends() {
        assertEquals(new FlowConfig(5, 10, Period.ofSeconds(60)), FlowConfig.parse("parallelism=5, rate=10, period=1m"));
        assertEquals(new FlowConfig(null, 3, Period.ofSeconds(2)), FlowConfig.parse("rate=3, period=2s"));
        assertEquals(new FlowConfig(1, null, null), FlowConfig.parse("parallelism=1"));
        assertEquals(new FlowConfig(null, 7, Period.ONE_SECOND), FlowConfig.parse("rate=7"));
    }

    @Test
    void parsesOlderClientsCaseInsensitiveWithoutSpaces() {
        assertEquals(new FlowConfig(10, 20, null), FlowConfig.parse("Rate=20,Parallelism=10"));
        assertEquals(new FlowConfig(null, 10, null), FlowConfig.parse("RATE=10"));
        assertEquals(new FlowConfig(2, 4, Period.ofSeconds(3600)), FlowConfig.parse("PERIOD=1h,rate=4,parallelism=2"));
    }

    @Test
    void toleratesWhitespaceEverywhere() {
        assertEquals(new FlowConfig(5, 10, Period.ofSeconds(60)),
                FlowConfig.parse("  parallelism = 5 ,rate=  10 ,\tperiod =1m  "));
    }

    @Test
    void periodAsBareSeconds() {
        assertEquals(Period.ofSeconds(30), FlowConfig.parse("rate=1, period=30").period());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "parallelism=-1|parallelism must be a positive integer, got \"-1\"",
            "parallelism=0|parallelism must be a positive integer, got \"0\"",
            "rate=0|rate must be a positive integer, got \"0\"",
            "rate=1.5|rate must be a positive integer, got \"1.5\"",
            "rate=abc|rate must be a positive integer, got \"abc\"",
            "parallelism=2147483648|parallelism must be a positive integer, got \"2147483648\"",
            "rate=99999999999999999999|rate must be a positive integer, got \"99999999999999999999\"",
            "rate=|rate must be a positive integer, got \"\"",
            "rate=+5|rate must be a positive integer, got \"+5\"",
            "parallelism=1 0|parallelism must be a positive integer, got \"1 0\"",
            "foo=1|unknown field \"foo\"",
            "rate=1, Foo=2|unknown field \"Foo\"",
            "rate=1, rate=2|duplicate field \"rate\"",
            "rate=1, Rate=2|duplicate field \"Rate\"",
            "rate=1,,parallelism=2|empty part in \"rate=1,,parallelism=2\"",
            "rate=1,|empty part in \"rate=1,\"",
            "rate|expected name=value, got \"rate\"",
            "rate=1, period=xyz|period must be",
            "rate=1, period=0s|\"0s\"",
            "rate=1, period=8d|\"8d\"",
    })
    void rejectsNamingTheBadPart(String header, String expected) {
        InvalidInput invalid = assertThrows(InvalidInput.class, () -> FlowConfig.parse(header));
        assertTrue(invalid.getMessage().startsWith("Upstash-Flow-Control-Value: "), invalid.getMessage());
        assertTrue(invalid.getMessage().contains(expected), invalid.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "period=1m", "PERIOD=5"})
    void rejectsEmptyOrPeriodOnlyWithTheServiceMessage(String header) {
        assertEquals(SHAPE, assertThrows(InvalidInput.class, () -> FlowConfig.parse(header)).getMessage());
    }

    @Test
    void rejectsNull() {
        assertEquals(SHAPE, assertThrows(InvalidInput.class, () -> FlowConfig.parse(null)).getMessage());
    }

    @Test
    void canonicalHeaderValue() {
        assertEquals("parallelism=5, rate=10, period=60s", FlowConfig.parse("rate=10,period=1m,parallelism=5").toHeaderValue());
        assertEquals("parallelism=1", FlowConfig.parse("parallelism=1").toHeaderValue());
        assertEquals("rate=3, period=1s", FlowConfig.parse("rate=3").toHeaderValue());
        assertEquals("", FlowConfig.unlimited().toHeaderValue());
    }

    @Test
    void headerValueRoundTrips() {
        FlowConfig config = new FlowConfig(7, 3, Period.ofSeconds(120));
        assertEquals(config, FlowConfig.parse(config.toHeaderValue()));
    }

    @Test
    void periodWithoutRateIsOneSecond() {
        assertEquals(Period.ONE_SECOND, FlowConfig.parse("parallelism=5, period=1m").period());
        assertEquals(new FlowConfig(5, null, null), new FlowConfig(5, null, Period.ofSeconds(60)));
    }

    @Test
    void unlimitedHasNoLimits() {
        assertNull(FlowConfig.unlimited().parallelism());
        assertNull(FlowConfig.unlimited().rate());
        assertFalse(FlowConfig.unlimited().limitsRate());
        assertFalse(FlowConfig.unlimited().limitsParallelism());
    }

    @Test
    void constructorRejectsNonPositive() {
        assertThrows(InvalidInput.class, () -> new FlowConfig(0, null, null));
        assertThrows(InvalidInput.class, () -> new FlowConfig(null, -3, null));
    }

    @Test
    void comparesRatePerTime() {
        FlowConfig tenPerMinute = FlowConfig.parse("rate=10, period=1m");
        FlowConfig onePerSecond = FlowConfig.parse("rate=1, period=1s");
        FlowConfig sixtyPerMinute = FlowConfig.parse("rate=60, period=1m");
        FlowConfig parallelismOnly = FlowConfig.parse("parallelism=1");

        assertTrue(onePerSecond.allowsFasterRateThan(tenPerMinute));
        assertFalse(tenPerMinute.allowsFasterRateThan(onePerSecond));
        assertTrue(parallelismOnly.allowsFasterRateThan(onePerSecond), "no rate limit is the fastest");
        assertFalse(onePerSecond.allowsFasterRateThan(parallelismOnly));
        // same rate per time: the shorter period wins the tie
        assertTrue(onePerSecond.allowsFasterRateThan(sixtyPerMinute));
        assertFalse(sixtyPerMinute.allowsFasterRateThan(onePerSecond));
        assertEquals(0, onePerSecond.compareRate(FlowConfig.parse("parallelism=9, rate=1")));
    }

    @Test
    void comparesExtremesWithoutOverflow() {
        FlowConfig fastest = new FlowConfig(null, Integer.MAX_VALUE, Period.ONE_SECOND);
        FlowConfig slowest = new FlowConfig(null, 1, Period.ofSeconds(604_800));
        assertTrue(fastest.allowsFasterRateThan(slowest));
        assertFalse(slowest.allowsFasterRateThan(fastest));
    }
}

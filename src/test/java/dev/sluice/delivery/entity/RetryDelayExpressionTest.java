package dev.sluice.delivery.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.platform.entity.InvalidInput;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryDelayExpressionTest {

    static long millis(String expression, int retried) {
        return RetryDelayExpression.parse(expression).delayFor(retried).toMillis();
    }

    static String failure(String expression) {
        return assertThrows(InvalidInput.class, () -> RetryDelayExpression.parse(expression)).getMessage();
    }

    @Nested
    class Documented {

        @Test
        void constant() {
            assertEquals(1000, millis("1000", 0));
            assertEquals(1000, millis("1000", 7));
        }

        @ParameterizedTest
        @CsvSource({"0, 1000", "1, 2000", "2, 3000", "9, 10000"})
        void linear(int retried, long expected) {
            assertEquals(expected, millis("1000 * (1 + retried)", retried));
        }

        @ParameterizedTest
        @CsvSource({"0, 10", "1, 10", "3, 10", "4, 16", "10, 1024"})
        void exponentialWithFloor(int retried, long expected) {
            assertEquals(expected, millis("max(10, pow(2, retried))", retried));
        }

        @ParameterizedTest
        @CsvSource({"0, 100", "1, 200", "2, 400", "5, 3200"})
        void exponential(int retried, long expected) {
            assertEquals(expected, millis("pow(2, retried) * 100", retried));
        }
    }

    @Nested
    class Calculation {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "1 + 2 * 3 | 7",
                "(1 + 2) * 3 | 9",
                "10 - 4 - 3 | 3",
                "100 / 10 / 2 | 5",
                "2 * 3 % 4 | 2",
                "17 % 5 | 2",
                "-5 + 10 | 5",
                "--5 | 5",
                "+5 | 5",
                "-(2 - 12) | 10",
                "10 - -2 | 12",
                "2 * -3 + 10 | 4",
                "1.5 * 1000 | 1500",
                "0.25 * 4 | 1",
                "((((7)))) | 7",
                "1+2*3-4/2 | 5",
                "0 | 0"})
        void precedenceAndAssociativity(String expression, long expected) {
            assertEquals(expected, millis(expression, 0));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "pow(2, 10) | 1024",
                "pow(9, 0.5) | 3",
                "sqrt(144) | 12",
                "abs(-42) | 42",
                "exp(0) * 1000 | 1000",
                "floor(2.9) | 2",
                "ceil(2.1) | 3",
                "round(2.5) | 3",
                "round(2.4) | 2",
                "round(-2.5) + 10 | 8",
                "min(5, 3, 9) | 3",
                "max(5, 3, 9) | 9",
                "min(7) | 7",
                "max(1, 2, 3, 4, 5, 6, 7, 8) | 8",
                "min(max(1, 50), 20) | 20",
                "pow(2, pow(2, 2)) | 16",
                "max ( 1 , 2 ) | 2",
                "floor(1000 * exp(retried)) | 1000"})
        void functions(String expression, long expected) {
            assertEquals(expected, millis(expression, 0));
        }

        @Test
        void whitespaceAnywhereBetweenTokens() {
            assertEquals(2000, millis("  1000\t*\n2 ", 0));
            assertEquals(3, millis("max\t(\n1 ,\r\n3 )", 0));
        }

        @Test
        void retriedIsTheNumberOfRetriesDone() {
            RetryDelayExpression expression = RetryDelayExpression.parse("retried");
            assertEquals(Duration.ZERO, expression.delayFor(0));
            assertEquals(Duration.ofMillis(3), expression.delayFor(3));
            assertEquals(Duration.ofMillis(1000), expression.delayFor(1000));
        }

        @Test
        void fractionalMillisecondsAreRounded() {
            assertEquals(2, millis("1.5", 0));
            assertEquals(1, millis("1.49", 0));
            assertEquals(333, millis("1000 / 3", 0));
        }
    }

    @Nested
    class Clamping {

        @ParameterizedTest
        @ValueSource(strings = {"-1", "-1000 * retried - 1", "0 - 5", "-pow(10, 400)"})
        void negativeMeansZero(String expression) {
            assertEquals(0, millis(expression, 3));
        }

        @ParameterizedTest
        @ValueSource(strings = {"86400001", "pow(2, retried)", "pow(10, 400)", "exp(1000)", "1 / 0.0000000001",
                "99999999999999999999999999999999999999999999999999"})
        void moreThanADayMeansADay(String expression) {
            assertEquals(Duration.ofDays(1), RetryDelayExpression.parse(expression).delayFor(1000));
        }

        @Test
        void exactlyOneDayIsKept() {
            assertEquals(86_400_000, millis("86400000", 0));
            assertEquals(86_399_999, millis("86399999", 0));
        }

        @Test
        void growsUntilCapped() {
            RetryDelayExpression expression = RetryDelayExpression.parse("pow(2, retried) * 1000");
            assertEquals(Duration.ofMillis(65_536_000), expression.delayFor(16));
            assertEquals(Duration.ofDays(1), expression.delayFor(17));
            assertEquals(Duration.ofDays(1), expression.delayFor(Integer.MAX_VALUE));
        }
    }

    @Nested
    class UndefinedResultFallsBackToDefaultBackoff {

        @ParameterizedTest
        @ValueSource(strings = {"1000 / 0", "1000 / retried", "1000 % 0", "0 / 0", "sqrt(-1)", "sqrt(0 - 1000)",
                "pow(-8, 1 / 3)", "max(1000, 0 / 0)", "min(0 / 0, 1)", "pow(0 / 0, 0)", "abs(1 / 0)",
                "exp(1000) - exp(1000)", "1000 + 1000 % (retried - retried)"})
        void forTheFirstRetry(String expression) {
            assertEquals(Backoff.defaultDelay(1), RetryDelayExpression.parse(expression).delayFor(0));
        }

        @Test
        void forLaterRetries() {
            RetryDelayExpression expression = RetryDelayExpression.parse("1000 / (retried - 2)");
            assertEquals(Duration.ofMillis(500), expression.delayFor(4));
            assertEquals(Backoff.defaultDelay(3), expression.delayFor(2));
        }
    }

    @Nested
    class Rejected {

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   ", "\t\n"})
        void empty(String expression) {
            assertEquals("Upstash-Retry-Delay: empty expression (e.g. 1000 * (1 + retried))", failure(expression));
        }

        @Test
        void tooLong() {
            String expression = "1" + " + 1".repeat(300);
            assertEquals("Upstash-Retry-Delay: expression too long (1201 characters, at most 1000)",
                    failure(expression));
        }

        @Test
        void longestAcceptedLength() {
            String expression = "1" + "+1".repeat(499) + "0";
            assertEquals(1000, expression.length());
            assertEquals(509, millis(expression, 0));
            assertEquals(509, millis("   " + expression + "   ", 0));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "1000 x | unexpected \"x\" at position 6",
                "1000 retried | unexpected \"retried\" at position 6",
                "1000 * (1 + retried)) | unexpected \")\" at position 21",
                "1000 $ 2 | unexpected \"$\" at position 6",
                "2 ^ 3 | unexpected \"^\" at position 3",
                "2 ** 3 | unexpected \"*\" at position 4",
                "* 3 | unexpected \"*\" at position 1",
                ".5 | unexpected \".\" at position 1",
                "1e3 | unexpected \"e3\" at position 2",
                "1000, 2 | unexpected \",\" at position 5",
                "() | unexpected \")\" at position 2",
                "1 + \"2\" | unexpected \"\"\" at position 5",
                "pow(2,, 3) | unexpected \",\" at position 7"})
        void unexpectedToken(String expression, String problem) {
            assertEquals("Upstash-Retry-Delay: " + problem, failure(expression));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "1000 * | unexpected end of expression at position 7",
                "- | unexpected end of expression at position 2",
                "max(1, | unexpected end of expression at position 7",
                "( | unexpected end of expression at position 2"})
        void endsTooEarly(String expression, String problem) {
            assertEquals("Upstash-Retry-Delay: " + problem
                    + " (expected a number, \"retried\", a function or \"(\")", failure(expression));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "(1 + 2 | missing \")\" at position 7 (end of expression)",
                "pow(2, 3 | missing \")\" at position 9 (end of expression)",
                "max(1 2) | expected \")\" at position 7 but found \"2\"",
                "(1 2) | expected \")\" at position 4 but found \"2\"",
                "sqrt(4 retried) | expected \")\" at position 8 but found \"retried\""})
        void unbalancedParentheses(String expression, String problem) {
            assertEquals("Upstash-Retry-Delay: " + problem, failure(expression));
        }

        @Test
        void digitsAfterDecimalPoint() {
            assertEquals("Upstash-Retry-Delay: expected digits after \".\" at position 3", failure("1. + 2"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "1000 * retries | retries | 8",
                "x | x | 1",
                "Retried | Retried | 1",
                "RETRIED + 1 | RETRIED | 1",
                "pi * 2 | pi | 1",
                "2 * e | e | 5"})
        void unknownVariable(String expression, String name, int position) {
            assertEquals("Upstash-Retry-Delay: unknown variable \"" + name + "\" at position " + position
                    + " (only \"retried\" is available)", failure(expression));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "log(10) | log | 1",
                "1 + Pow(2, 3) | Pow | 5",
                "MAX(1, 2) | MAX | 1",
                "retried(1) | retried | 1",
                "random() | random | 1"})
        void unknownFunction(String expression, String name, int position) {
            assertEquals("Upstash-Retry-Delay: unknown function \"" + name + "\" at position " + position
                    + " (use pow, sqrt, abs, exp, floor, ceil, round, min or max)", failure(expression));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "pow(2) | pow at position 1 takes 2 arguments, got 1",
                "pow(2, 3, 4) | pow at position 1 takes 2 arguments, got 3",
                "1 + sqrt() | sqrt at position 5 takes 1 argument, got 0",
                "abs(1, 2) | abs at position 1 takes 1 argument, got 2",
                "exp() | exp at position 1 takes 1 argument, got 0",
                "floor(1, 2) | floor at position 1 takes 1 argument, got 2",
                "ceil() | ceil at position 1 takes 1 argument, got 0",
                "round(1, 2) | round at position 1 takes 1 argument, got 2",
                "min() | min at position 1 takes at least 1 argument, got 0",
                "max( ) | max at position 1 takes at least 1 argument, got 0"})
        void wrongArgumentCount(String expression, String problem) {
            assertEquals("Upstash-Retry-Delay: " + problem, failure(expression));
        }

        @Test
        void tooDeeplyNested() {
            String deep = "(".repeat(100) + "1" + ")".repeat(100);
            assertEquals("Upstash-Retry-Delay: expression nested too deeply at position 65 (at most 64 levels)",
                    failure(deep));
            assertEquals("Upstash-Retry-Delay: expression nested too deeply at position 65 (at most 64 levels)",
                    failure("-".repeat(999) + "1"));
            assertEquals(1, millis("(".repeat(64) + "1" + ")".repeat(64), 0));
        }

        @Test
        void nestingCountsFunctionCalls() {
            String deep = "abs(".repeat(70) + "1" + ")".repeat(70);
            assertTrue(failure(deep).startsWith("Upstash-Retry-Delay: expression nested too deeply at position "));
        }

        @Test
        void randomInputIsEitherAnExpressionOrInvalidInput() {
            String alphabet = "0123456789.+-*/%(),  retriedpowsqrtabsexpfloorceilroundminmax$x";
            Random random = new Random(42);
            for (int i = 0; i < 20_000; i++) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(40);
                for (int j = 0; j < length; j++) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                try {
                    Duration delay = RetryDelayExpression.parse(text.toString()).delayFor(random.nextInt(30));
                    assertTrue(!delay.isNegative() && delay.compareTo(Duration.ofDays(1)) <= 0, text::toString);
                } catch (InvalidInput expected) {
                    assertTrue(expected.getMessage().startsWith("Upstash-Retry-Delay: "), expected::getMessage);
                }
            }
        }

        @Test
        void messageIsAnInvalidInputForThe400Mapping() {
            assertThrows(InvalidInput.class, () -> RetryDelayExpression.parse("1000 *"));
        }
    }

    @Nested
    class Value {

        @Test
        void textIsTheStrippedInput() {
            assertEquals("1000 * (1 + retried)", RetryDelayExpression.parse("  1000 * (1 + retried)\n").text());
            assertEquals("1000 * (1 + retried)", RetryDelayExpression.parse("1000 * (1 + retried)").toString());
        }

        @Test
        void textParsesAgainToTheSameExpression() {
            RetryDelayExpression original = RetryDelayExpression.parse(" max(10, pow(2, retried)) ");
            RetryDelayExpression again = RetryDelayExpression.parse(original.text());
            assertEquals(original, again);
            assertEquals(original.hashCode(), again.hashCode());
            assertEquals(original.delayFor(6), again.delayFor(6));
        }

        @Test
        void equalityIsByText() {
            assertNotEquals(RetryDelayExpression.parse("1000"), RetryDelayExpression.parse("1000.0"));
            assertNotEquals(RetryDelayExpression.parse("1000"), "1000");
        }

        @Test
        void negativeRetriedIsAProgrammingError() {
            RetryDelayExpression expression = RetryDelayExpression.parse("1000");
            assertThrows(IllegalArgumentException.class, () -> expression.delayFor(-1));
        }
    }
}

package dev.sluice.delivery.entity;

import dev.sluice.platform.entity.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Recursive descent over the {@code Upstash-Retry-Delay} grammar:
 * <pre>
 * sum     = product (("+" | "-") product)*
 * product = unary (("*" | "/" | "%") unary)*
 * unary   = ("-" | "+") unary | primary
 * primary = number | "retried" | name "(" [sum ("," sum)*] ")" | "(" sum ")"
 * number  = digit+ ["." digit+]
 * </pre>
 * Positions in error messages are 1-based character positions in the header value.
 */
final class RetryDelayParser {

    static final String HEADER = "Upstash-Retry-Delay";
    static final int MAX_DEPTH = 64;

    private final String text;
    private int position;
    private int depth;

    private RetryDelayParser(String text) {
        this.text = text;
    }

    static Arithmetic parse(String text) {
        return new RetryDelayParser(text).whole();
    }

    private Arithmetic whole() {
        Arithmetic expression = sum();
        skipWhitespace();
        if (!atEnd()) {
            throw unexpected();
        }
        return expression;
    }

    private Arithmetic sum() {
        Arithmetic left = product();
        while (true) {
            skipWhitespace();
            if (!atEnd() && (peek() == '+' || peek() == '-')) {
                char operator = text.charAt(position++);
                left = new Arithmetic.Operation(operator, left, product());
            } else {
                return left;
            }
        }
    }

    private Arithmetic product() {
        Arithmetic left = unary();
        while (true) {
            skipWhitespace();
            if (!atEnd() && (peek() == '*' || peek() == '/' || peek() == '%')) {
                char operator = text.charAt(position++);
                left = new Arithmetic.Operation(operator, left, unary());
            } else {
                return left;
            }
        }
    }

    private Arithmetic unary() {
        skipWhitespace();
        if (!atEnd() && peek() == '-') {
            position++;
            return nested(() -> new Arithmetic.Negation(unary()));
        }
        if (!atEnd() && peek() == '+') {
            position++;
            return nested(this::unary);
        }
        return primary();
    }

    private Arithmetic primary() {
        skipWhitespace();
        if (atEnd()) {
            throw invalid("unexpected end of expression at position " + (position + 1)
                    + " (expected a number, \"retried\", a function or \"(\")");
        }
        char c = peek();
        if (isDigit(c)) {
            return number();
        }
        if (isNameStart(c)) {
            return nameOrCall();
        }
        if (c == '(') {
            position++;
            Arithmetic inner = nested(this::sum);
            expect(')');
            return inner;
        }
        throw unexpected();
    }

    private Arithmetic number() {
        int start = position;
        skipDigits();
        if (!atEnd() && peek() == '.') {
            position++;
            int fractionStart = position;
            skipDigits();
            if (position == fractionStart) {
                throw invalid("expected digits after \".\" at position " + (fractionStart + 1));
            }
        }
        return new Arithmetic.Constant(Double.parseDouble(text.substring(start, position)));
    }

    private Arithmetic nameOrCall() {
        int start = position;
        while (!atEnd() && isNamePart(peek())) {
            position++;
        }
        String name = text.substring(start, position);
        skipWhitespace();
        if (!atEnd() && peek() == '(') {
            return call(name, start);
        }
        if (name.equals(Arithmetic.Retried.NAME)) {
            return new Arithmetic.Retried();
        }
        throw invalid("unknown variable \"" + name + "\" at position " + (start + 1) + " (only \"retried\" is available)");
    }

    private Arithmetic call(String name, int start) {
        ArithmeticFunction function = ArithmeticFunction.named(name);
        if (function == null) {
            throw invalid("unknown function \"" + name + "\" at position " + (start + 1)
                    + " (use pow, sqrt, abs, exp, floor, ceil, round, min or max)");
        }
        position++;
        List<Arithmetic> arguments = nested(this::arguments);
        if (!function.accepts(arguments.size())) {
            throw invalid(name + " at position " + (start + 1) + " takes " + function.expectedArguments()
                    + ", got " + arguments.size());
        }
        return new Arithmetic.Call(function, arguments);
    }

    private List<Arithmetic> arguments() {
        List<Arithmetic> arguments = new ArrayList<>();
        skipWhitespace();
        if (!atEnd() && peek() == ')') {
            position++;
            return arguments;
        }
        arguments.add(sum());
        skipWhitespace();
        while (!atEnd() && peek() == ',') {
            position++;
            arguments.add(sum());
            skipWhitespace();
        }
        expect(')');
        return arguments;
    }

    private <T> T nested(Supplier<T> inner) {
        if (++depth > MAX_DEPTH) {
            throw invalid("expression nested too deeply at position " + position + " (at most " + MAX_DEPTH + " levels)");
        }
        T result = inner.get();
        depth--;
        return result;
    }

    private void expect(char expected) {
        skipWhitespace();
        if (atEnd()) {
            throw invalid("missing \"" + expected + "\" at position " + (position + 1) + " (end of expression)");
        }
        if (peek() != expected) {
            throw invalid("expected \"" + expected + "\" at position " + (position + 1) + " but found \"" + token() + "\"");
        }
        position++;
    }

    private InvalidInput unexpected() {
        return invalid("unexpected \"" + token() + "\" at position " + (position + 1));
    }

    /** The word, number or single character at the current position, to name it in a message. */
    private String token() {
        int end = position + 1;
        if (isNamePart(peek())) {
            while (end < text.length() && isNamePart(text.charAt(end))) {
                end++;
            }
        }
        return text.substring(position, end);
    }

    private void skipWhitespace() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            position++;
        }
    }

    private void skipDigits() {
        while (!atEnd() && isDigit(peek())) {
            position++;
        }
    }

    private boolean atEnd() {
        return position >= text.length();
    }

    private char peek() {
        return text.charAt(position);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || isDigit(c);
    }

    static InvalidInput invalid(String problem) {
        return new InvalidInput(HEADER + ": " + problem);
    }
}

package dev.sluice.delivery.entity;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The functions a {@link RetryDelayExpression} may call, with how many arguments each takes. */
enum ArithmeticFunction {

    POW(2, 2, a -> Math.pow(a[0], a[1])),
    SQRT(1, 1, a -> Math.sqrt(a[0])),
    ABS(1, 1, a -> Math.abs(a[0])),
    EXP(1, 1, a -> Math.exp(a[0])),
    FLOOR(1, 1, a -> Math.floor(a[0])),
    CEIL(1, 1, a -> Math.ceil(a[0])),
    // half up like JavaScript's Math.round; Math.round(double) would turn large values into Long.MAX_VALUE
    ROUND(1, 1, a -> Math.floor(a[0] + 0.5)),
    MIN(1, Integer.MAX_VALUE, a -> Arrays.stream(a).min().orElseThrow()),
    MAX(1, Integer.MAX_VALUE, a -> Arrays.stream(a).max().orElseThrow());

    final int minArguments;
    final int maxArguments;
    private final ToDoubleFunction<double[]> body;

    ArithmeticFunction(int minArguments, int maxArguments, ToDoubleFunction<double[]> body) {
        this.minArguments = minArguments;
        this.maxArguments = maxArguments;
        this.body = body;
    }

    String functionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ArithmeticFunction named(String name) {
        for (ArithmeticFunction function : values()) {
            if (function.functionName().equals(name)) {
                return function;
            }
        }
        return null;
    }

    boolean accepts(int argumentCount) {
        return argumentCount >= minArguments && argumentCount <= maxArguments;
    }

    String expectedArguments() {
        if (minArguments == maxArguments) {
            return minArguments == 1 ? "1 argument" : minArguments + " arguments";
        }
        return "at least " + minArguments + " argument" + (minArguments == 1 ? "" : "s");
    }

    double apply(double[] arguments) {
        return body.applyAsDouble(arguments);
    }
}

package dev.sluice.delivery.entity;

import java.util.List;

/**
 * The syntax tree of a {@link RetryDelayExpression}, evaluated with IEEE doubles. Undefined operations (division or
 * modulo by zero, a function applied to NaN) yield NaN so that the expression as a whole can be recognised as broken.
 */
sealed interface Arithmetic {

    double evaluate(double retried);

    record Constant(double value) implements Arithmetic {

        @Override
        public double evaluate(double retried) {
            return value;
        }
    }

    record Retried() implements Arithmetic {

        static final String NAME = "retried";

        @Override
        public double evaluate(double retried) {
            return retried;
        }
    }

    record Negation(Arithmetic operand) implements Arithmetic {

        @Override
        public double evaluate(double retried) {
            return -operand.evaluate(retried);
        }
    }

    record Operation(char operator, Arithmetic left, Arithmetic right) implements Arithmetic {

        static final String OPERATORS = "+-*/%";

        @Override
        public double evaluate(double retried) {
            double l = left.evaluate(retried);
            double r = right.evaluate(retried);
            return switch (operator) {
                case '+' -> l + r;
                case '-' -> l - r;
                case '*' -> l * r;
                case '/' -> r == 0 ? Double.NaN : l / r;
                case '%' -> r == 0 ? Double.NaN : l % r;
                default -> throw new IllegalStateException("unknown operator " + operator);
            };
        }
    }

    record Call(ArithmeticFunction function, List<Arithmetic> arguments) implements Arithmetic {

        public Call {
            arguments = List.copyOf(arguments);
        }

        @Override
        public double evaluate(double retried) {
            double[] values = new double[arguments.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = arguments.get(i).evaluate(retried);
                // Math.pow(NaN, 0) would be 1: keep a broken argument visible instead
                if (Double.isNaN(values[i])) {
                    return Double.NaN;
                }
            }
            return function.apply(values);
        }
    }
}

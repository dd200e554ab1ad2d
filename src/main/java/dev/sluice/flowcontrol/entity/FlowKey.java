package dev.sluice.flowcontrol.entity;

import dev.sluice.platform.entity.InvalidInput;

/**
 * A flow-control key ({@code Upstash-Flow-Control-Key}): 1 to 250 characters, each one of
 * {@code A-Z a-z 0-9 - _ . : @ + = ~}.
 * <p>
 * The set is deliberately narrow: the key travels raw in URL paths ({@code /v2/flowControl/{key}/pause}) and names a
 * broker queue, so {@code /}, space, {@code *}, {@code #}, {@code ?}, {@code %}, quotes, control characters and
 * non-ASCII letters are rejected, and so are the path segments {@code .} and {@code ..}.
 */
public record FlowKey(String value) {

    public static final int MAX_LENGTH = 250;
    static final String ALLOWED = "A-Z a-z 0-9 - _ . : @ + = ~";

    public FlowKey {
        if (value == null || value.isEmpty()) {
            throw new InvalidInput("Upstash-Flow-Control-Key must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInput("Upstash-Flow-Control-Key must be at most " + MAX_LENGTH
                    + " characters, got " + value.length());
        }
        value.codePoints().filter(c -> !allowed(c)).findFirst().ifPresent(c -> {
            throw new InvalidInput("Upstash-Flow-Control-Key must only contain " + ALLOWED + ", got \""
                    + Character.toString(c) + "\" (U+" + String.format("%04X", c) + ") in \"" + value + "\"");
        });
        if (value.equals(".") || value.equals("..")) {
            throw new InvalidInput("Upstash-Flow-Control-Key must not be \"" + value + "\"");
        }
    }

    private static boolean allowed(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.:@+=~".indexOf(c) >= 0;
    }

    @Override
    public String toString() {
        return value;
    }
}

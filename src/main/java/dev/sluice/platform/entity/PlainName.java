package dev.sluice.platform.entity;

/**
 * The names of queues and URL groups: 1 to 100 characters, each a letter, digit, {@code -}, {@code _} or {@code .},
 * and not {@code .} or {@code ..} (they travel raw in URL paths).
 */
public final class PlainName {

    public static final int MAX_LENGTH = 100;

    private PlainName() {
    }

    /** Returns the name, or throws an {@link InvalidInput} that calls it {@code what}. */
    public static String check(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInput(what + " must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInput(what + " must be at most " + MAX_LENGTH + " characters, got " + value.length());
        }
        if (!value.chars().allMatch(PlainName::allowed) || value.equals(".") || value.equals("..")) {
            throw new InvalidInput(what + " must only contain letters, digits, -, _ and ., got \"" + value + "\"");
        }
        return value;
    }

    private static boolean allowed(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.".indexOf(c) >= 0;
    }
}

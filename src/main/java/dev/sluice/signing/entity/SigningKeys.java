package dev.sluice.signing.entity;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The pair of keys deliveries are signed with: requests are signed with {@code current}; receivers also accept
 * {@code next}, so a rotation (next becomes current, a fresh next is made) never rejects a delivery in flight.
 * <p>
 * A key is used as the UTF-8 bytes of its text (QStash's convention) and must be at least 32 bytes long, the
 * minimum for HMAC-SHA256 keys. Generated keys look like QStash's: {@code sig_} and 28 base62 characters.
 */
public record SigningKeys(String current, String next) {

    public static final String PREFIX = "sig_";
    public static final int MIN_BYTES = 32;
    static final int RANDOM_CHARS = 28;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final RandomGenerator RANDOM = new SecureRandom();

    public SigningKeys {
        requireUsable("current", current);
        requireUsable("next", next);
    }

    public static SigningKeys generate() {
        return new SigningKeys(newKey(), newKey());
    }

    /**
     * The keys an operator configured, if any. A current key alone is used as next too; a next key without a
     * current one is a mistake, not a half configuration to complete silently.
     */
    public static Optional<SigningKeys> configured(Optional<String> current, Optional<String> next) {
        Optional<String> currentKey = current.map(String::strip).filter(key -> !key.isEmpty());
        Optional<String> nextKey = next.map(String::strip).filter(key -> !key.isEmpty());
        if (currentKey.isEmpty()) {
            if (nextKey.isPresent()) {
                throw new IllegalArgumentException("sluice.next-signing-key is set without sluice.current-signing-key");
            }
            return Optional.empty();
        }
        return Optional.of(new SigningKeys(currentKey.get(), nextKey.orElse(currentKey.get())));
    }

    /** The next key becomes current; a fresh next is generated. */
    public SigningKeys rotate() {
        return new SigningKeys(next, newKey());
    }

    static String newKey() {
        StringBuilder key = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            key.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return key.toString();
    }

    private static void requireUsable(String which, String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the " + which + " signing key is missing");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
            throw new IllegalArgumentException("the " + which + " signing key must be at least " + MIN_BYTES
                    + " bytes long (HMAC-SHA256), e.g. sig_ and 28 letters or digits");
        }
    }
}

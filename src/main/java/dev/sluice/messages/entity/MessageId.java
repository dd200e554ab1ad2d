package dev.sluice.messages.entity;

import java.security.SecureRandom;

/**
 * Identifiers like {@code msg_01JD3Q8Z5M7K2X9V4B6N0P1R3T}: a prefix, then 26 Crockford base-32 characters (48 bits
 * of milliseconds, 80 random bits), so ids sort by creation time.
 */
public final class MessageId {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageId() {
    }

    public static String next(String prefix) {
        char[] id = new char[26];
        long time = System.currentTimeMillis();
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        for (int i = 10; i < 26; i++) {
            id[i] = ALPHABET[random[i - 10] & 31];
        }
        return prefix + "_" + new String(id);
    }
}

package dev.sluice.messages.entity;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.OptionalLong;

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
        return at(prefix, System.currentTimeMillis());
    }

    /** An id as {@link #next} makes it at this time. */
    public static String at(String prefix, long epochMillis) {
        char[] id = new char[26];
        writeTime(id, epochMillis);
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        for (int i = 10; i < 26; i++) {
            id[i] = ALPHABET[random[i - 10] & 31];
        }
        return prefix + "_" + new String(id);
    }

    /** The least id of the prefix made at this time or later: every id made earlier sorts before it. */
    public static String leastAt(String prefix, long epochMillis) {
        char[] id = new char[26];
        writeTime(id, epochMillis);
        Arrays.fill(id, 10, 26, ALPHABET[0]);
        return prefix + "_" + new String(id);
    }

    /** When the id was made (as {@link #next} makes ids), if it is one. */
    public static OptionalLong timeOf(String id) {
        int start = id.indexOf('_') + 1;
        if (start == 0 || id.length() != start + 26) {
            return OptionalLong.empty();
        }
        long time = 0;
        for (int i = start; i < start + 10; i++) {
            int digit = Arrays.binarySearch(ALPHABET, id.charAt(i));
            if (digit < 0) {
                return OptionalLong.empty();
            }
            time = time << 5 | digit;
        }
        return OptionalLong.of(time);
    }

    private static void writeTime(char[] id, long epochMillis) {
        long time = epochMillis;
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
    }
}

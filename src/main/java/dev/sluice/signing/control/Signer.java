package dev.sluice.signing.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes the {@code Upstash-Signature} of one delivery attempt: an HS256 JWT over the destination and the SHA-256 of
 * the exact bytes sent, keyed with the UTF-8 bytes of a signing key. {@code iat} and {@code nbf} are the signing
 * second (never in the future), {@code exp} five minutes later.
 * <p>
 * Built with the JDK alone: it runs once per delivery attempt, and a general JOSE library (a new {@code Mac} per
 * signature, JSON maps, constant-time base64) cost more than the rest of the request's preparation.
 */
public class Signer {

    public static final String ISSUER = "Upstash";
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    /** HS256 needs a key of at least 256 bits (RFC 7518, section 3.2). */
    private static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = BASE64URL.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public Signer(String key) {
        byte[] secret = key.getBytes(StandardCharsets.UTF_8);
        if (secret.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("unusable signing key: HS256 needs at least " + MIN_KEY_BYTES
                    + " bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public String sign(String destination, byte[] body, Instant now) {
        long second = now.getEpochSecond();
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":" + jsonString(destination)
                + ",\"iat\":" + second + ",\"nbf\":" + second + ",\"exp\":" + (second + LIFETIME.toSeconds())
                + ",\"jti\":\"" + jwtId() + "\",\"body\":\"" + bodyHash(body) + "\"}";
        String signingInput = HEADER + "." + BASE64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        byte[] signature = macs.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + BASE64URL.encodeToString(signature);
    }

    /** base64url (no padding) of the SHA-256 of the bytes, as receivers compute it. */
    public static String bodyHash(byte[] body) {
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static String jwtId() {
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        return "jwt_" + BASE64URL.encodeToString(random);
    }

    /** A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    static String jsonString(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}

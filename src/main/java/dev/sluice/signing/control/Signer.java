package dev.sluice.signing.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Makes the {@code Upstash-Signature} of one delivery attempt: an HS256 JWT over the destination and the SHA-256 of
 * the exact bytes sent, keyed with the UTF-8 bytes of a signing key. {@code iat} and {@code nbf} are the signing
 * second (never in the future), {@code exp} five minutes later.
 */
public class Signer {

    public static final String ISSUER = "Upstash";
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final JWSHeader HEADER = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MACSigner mac;

    public Signer(String key) {
        try {
            mac = new MACSigner(key.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable signing key: " + e.getMessage(), e);
        }
    }

    public String sign(String destination, byte[] body, Instant now) {
        Date second = Date.from(Instant.ofEpochSecond(now.getEpochSecond()));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(destination)
                .issueTime(second)
                .notBeforeTime(second)
                .expirationTime(Date.from(second.toInstant().plus(LIFETIME)))
                .jwtID(jwtId())
                .claim("body", bodyHash(body))
                .build();
        SignedJWT jwt = new SignedJWT(HEADER, claims);
        try {
            jwt.sign(mac);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a delivery", e);
        }
        return jwt.serialize();
    }

    /** base64url (no padding) of the SHA-256 of the bytes, as receivers compute it. */
    public static String bodyHash(byte[] body) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(body)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static String jwtId() {
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        return "jwt_" + Base64URL.encode(random);
    }
}

package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every delivery carries an {@code Upstash-Signature} a receiver verifies with the keys from {@code GET /v2/keys}.
 * Rotation is global state of the shared Sluice: every assertion reads the keys fresh.
 */
class SigningIT extends AgainstSharedSluice {

    private static final Duration WAIT = Duration.ofSeconds(20);

    SigningIT(SluiceProcess sluice) {
        super(sluice);
    }

    @Test
    void deliveryVerifiesWithTheCurrentKeyOverDestinationAndExactBody() throws Exception {
        String destination = sink.url("/signed/" + UUID.randomUUID() + "?x=1&y=two");
        String body = "{\"hello\":\"signed\",\"ü\":\"\u20ac\"}";
        api.publishOk(destination, body, Map.of("Content-Type", "application/json"));

        Sink.Received request = single(sink.await(r -> true, 1, WAIT));
        JsonObject keys = keys();
        JWTClaimsSet claims = verified(request, destination, keys.getString("current"));
        assertEquals(body, request.bodyText());
        assertEquals(bodyHash(body.getBytes(StandardCharsets.UTF_8)), claims.getStringClaim("body"));
        assertFalse(verifies(request, keys.getString("next")), "signed with the current key, not next");
    }

    @Test
    void getDeliveryWithoutBodySignsTheEmptyBody() throws Exception {
        String destination = sink.url("/signed-get");
        api.publishOk(destination, "ignored for GET", Map.of("Upstash-Method", "GET"));

        Sink.Received request = single(sink.await(r -> true, 1, WAIT));
        assertEquals(0, request.body().length);
        JWTClaimsSet claims = verified(request, destination, keys().getString("current"));
        assertEquals(bodyHash(new byte[0]), claims.getStringClaim("body"));
    }

    @Test
    void everyAttemptIsSignedAnew() throws Exception {
        sink.answering((request, attempt) -> attempt < 3 ? Sink.Answer.status(503) : Sink.Answer.ok());
        String destination = sink.url("/signed-retries");
        api.publishOk(destination, "again", Map.of("Upstash-Retries", "3"));

        List<Sink.Received> attempts = sink.await(r -> true, 3, WAIT);
        assertEquals(3, attempts.size());
        String current = keys().getString("current");
        Set<String> ids = new java.util.HashSet<>();
        for (Sink.Received attempt : attempts) {
            ids.add(verified(attempt, destination, current).getJWTID());
        }
        assertEquals(3, ids.size(), "each attempt has its own token");
    }

    @Test
    void rotationPromotesNextAndNewDeliveriesVerifyWithTheNewCurrentKey() throws Exception {
        JsonObject before = keys();

        Api.Reply rotate = api.post("/v2/keys/rotate", null);
        assertEquals(200, rotate.status(), rotate.body());
        JsonObject after = rotate.json();
        assertEquals(before.getString("next"), after.getString("current"), "the old next becomes current");
        assertNotEquals(before.getString("current"), after.getString("next"));
        assertNotEquals(before.getString("next"), after.getString("next"));
        assertEquals(after, keys(), "GET /v2/keys answers the rotated pair");

        String destination = sink.url("/signed-after-rotation");
        api.publishOk(destination, "rotated", Map.of());
        Sink.Received request = single(sink.await(r -> true, 1, WAIT));
        JsonObject now = keys();
        verified(request, destination, now.getString("current"));
        assertFalse(verifies(request, before.getString("current")), "the old current key no longer signs");
    }

    @Test
    void keysNeedTheToken() {
        assertEquals(401, api.withoutToken("GET", "/v2/keys", null).status());
        assertEquals(401, api.withoutToken("POST", "/v2/keys/rotate", null).status());
    }

    /** Verifies like a receiver with zero clock tolerance: signature, iss, sub, nbf, exp; returns the claims. */
    private static JWTClaimsSet verified(Sink.Received request, String destination, String key) throws Exception {
        String token = request.header("Upstash-Signature");
        assertTrue(token != null && !token.isBlank(), "Upstash-Signature missing: " + request.headers());
        SignedJWT jwt = SignedJWT.parse(token);
        assertTrue(jwt.verify(new MACVerifier(key.getBytes(StandardCharsets.UTF_8))), "signature with " + key);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        DefaultJWTClaimsVerifier<?> receiver = new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer("Upstash").subject(destination).build(),
                Set.of("iat", "nbf", "exp", "jti", "body"));
        receiver.setMaxClockSkew(0);
        receiver.verify(claims, null);
        assertTrue(claims.getNotBeforeTime().getTime() <= request.arrivedEpochMillis(), "nbf not in the future");
        assertEquals(300, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
        assertEquals(bodyHash(request.body()), claims.getStringClaim("body"), "hash of the bytes received");
        return claims;
    }

    private static boolean verifies(Sink.Received request, String key) throws Exception {
        return SignedJWT.parse(request.header("Upstash-Signature"))
                .verify(new MACVerifier(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static String bodyHash(byte[] body) throws Exception {
        return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(body)).toString();
    }

    private JsonObject keys() {
        Api.Reply reply = api.get("/v2/keys");
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static Sink.Received single(List<Sink.Received> received) {
        assertEquals(1, received.size(), "expected exactly one request, got " + received);
        return received.get(0);
    }
}

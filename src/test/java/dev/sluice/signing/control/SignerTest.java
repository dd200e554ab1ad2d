package dev.sluice.signing.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SignerTest {

    private static final String KEY = "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r";
    private static final String OTHER_KEY = "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs";
    private static final String DESTINATION = "https://example.com/hook/a?x=1&y=two";
    private static final Instant NOW = Instant.parse("2025-11-02T10:15:30.750Z");

    @Test
    void verifiesWithTheSigningKeyOnly() throws Exception {
        SignedJWT jwt = SignedJWT.parse(new Signer(KEY).sign(DESTINATION, bytes("{\"hello\":1}"), NOW));

        assertTrue(jwt.verify(new MACVerifier(KEY.getBytes(StandardCharsets.UTF_8))));
        assertFalse(jwt.verify(new MACVerifier(OTHER_KEY.getBytes(StandardCharsets.UTF_8))));
        assertEquals(JWSAlgorithm.HS256, jwt.getHeader().getAlgorithm());
        assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
    }

    @Test
    void carriesTheClaimsReceiversCheck() throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(new Signer(KEY).sign(DESTINATION, bytes("x"), NOW)).getJWTClaimsSet();

        assertEquals("Upstash", claims.getIssuer());
        assertEquals(DESTINATION, claims.getSubject());
        Date second = Date.from(Instant.ofEpochSecond(NOW.getEpochSecond()));
        assertEquals(second, claims.getIssueTime());
        assertEquals(second, claims.getNotBeforeTime(), "nbf is the signing second, never after now");
        assertFalse(claims.getNotBeforeTime().toInstant().isAfter(NOW));
        assertEquals(NOW.getEpochSecond() + 300, claims.getExpirationTime().toInstant().getEpochSecond());
        assertTrue(claims.getJWTID().startsWith("jwt_"), claims.getJWTID());
    }

    @Test
    void timesAreWholeUnixSeconds() throws Exception {
        String payload = SignedJWT.parse(new Signer(KEY).sign(DESTINATION, bytes("x"), NOW)).getPayload().toString();

        long seconds = NOW.getEpochSecond();
        assertTrue(payload.contains("\"iat\":" + seconds), payload);
        assertTrue(payload.contains("\"nbf\":" + seconds), payload);
        assertTrue(payload.contains("\"exp\":" + (seconds + 300)), payload);
    }

    @Test
    void everySignatureHasItsOwnId() throws Exception {
        Signer signer = new Signer(KEY);
        String first = SignedJWT.parse(signer.sign(DESTINATION, bytes("x"), NOW)).getJWTClaimsSet().getJWTID();
        String second = SignedJWT.parse(signer.sign(DESTINATION, bytes("x"), NOW)).getJWTClaimsSet().getJWTID();

        assertNotEquals(first, second);
    }

    @Test
    void bodyClaimIsTheUrlSafeSha256OfTheExactBytes() throws Exception {
        // these bytes hash to a digest with '+' / '/' in standard base64, so the alphabet matters
        byte[] body = findBodyNeedingUrlSafeAlphabet();

        String claim = SignedJWT.parse(new Signer(KEY).sign(DESTINATION, body, NOW)).getJWTClaimsSet()
                .getStringClaim("body");

        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(digest), claim);
        assertFalse(claim.contains("+") || claim.contains("/") || claim.contains("="), claim);
        assertNotEquals(claim, Signer.bodyHash(bytes(new String(body, StandardCharsets.UTF_8) + " ")));
    }

    @Test
    void emptyBodyIsTheHashOfNoBytes() throws Exception {
        String claim = SignedJWT.parse(new Signer(KEY).sign(DESTINATION, new byte[0], NOW)).getJWTClaimsSet()
                .getStringClaim("body");

        // SHA-256("") = e3b0c442...b855
        assertEquals("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU", claim);
    }

    @Test
    void theSubjectIsTheDestinationExactlyEvenWithCharactersJsonMustEscape() throws Exception {
        String destination = "https://example.com/a\"b\\c?q=\u00e9\u65e5&t=\t" + (char) 1;

        SignedJWT jwt = SignedJWT.parse(new Signer(KEY).sign(destination, bytes("x"), NOW));

        assertEquals(destination, jwt.getJWTClaimsSet().getSubject());
        assertTrue(jwt.verify(new MACVerifier(KEY.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void signaturesMadeOnManyThreadsAtOnceAllVerify() throws Exception {
        Signer signer = new Signer(KEY);
        MACVerifier verifier = new MACVerifier(KEY.getBytes(StandardCharsets.UTF_8));
        List<Callable<Boolean>> signings = IntStream.range(0, 400)
                .mapToObj(i -> (Callable<Boolean>) () -> {
                    String destination = DESTINATION + "&n=" + i;
                    SignedJWT jwt = SignedJWT.parse(signer.sign(destination, bytes("body " + i), NOW));
                    return jwt.verify(verifier) && destination.equals(jwt.getJWTClaimsSet().getSubject());
                })
                .toList();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (Future<Boolean> signed : threads.invokeAll(signings)) {
                assertTrue(signed.get());
            }
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void refusesKeysTooShortForHs256() {
        assertThrows(IllegalArgumentException.class, () -> new Signer("sig_short"));
    }

    private static byte[] findBodyNeedingUrlSafeAlphabet() throws Exception {
        for (int i = 0; ; i++) {
            byte[] body = bytes("{\"n\":" + i + "}");
            String standard = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
            if (standard.contains("+") && standard.contains("/")) {
                return body;
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

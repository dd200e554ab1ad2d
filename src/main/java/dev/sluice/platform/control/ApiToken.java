package dev.sluice.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API token. Configured with {@code sluice.token} (env {@code SLUICE_TOKEN}); without one, a random token is
 * generated on first start, stored in {@code <data-dir>/token} and logged, so a fresh install is never open.
 */
@ApplicationScoped
public class ApiToken {

    private static final Logger LOG = Logger.getLogger(ApiToken.class.getName());

    @Inject
    @ConfigProperty(name = "sluice.token")
    Optional<String> configured;

    @Inject
    @ConfigProperty(name = "sluice.data-dir")
    String dataDir;

    private byte[] expected;

    @PostConstruct
    void resolve() {
        String token = configured.filter(t -> !t.isBlank()).orElseGet(this::storedOrGenerated);
        expected = token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean accepts(String presented) {
        return presented != null
                && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    private String storedOrGenerated() {
        Path file = Path.of(dataDir, "token");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = "sluice_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            Files.writeString(file, token);
            LOG.info(() -> "Generated API token (stored in " + file + "): " + token);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API token file " + file, e);
        }
    }
}

package dev.sluice.signing.control;

import dev.sluice.platform.control.AfterCommit;
import dev.sluice.signing.entity.KeyRing;
import dev.sluice.signing.entity.SigningKeys;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The signing keys in use. Configured with {@code sluice.current-signing-key} / {@code sluice.next-signing-key}
 * (env {@code SLUICE_CURRENT_SIGNING_KEY} / {@code SLUICE_NEXT_SIGNING_KEY}); without them, a pair is generated on
 * first start and stored, and can be rotated. Held in memory ({@link KeysInUse}): every delivery attempt signs with
 * the current one.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Keychain {

    private static final Logger LOG = Logger.getLogger(Keychain.class.getName());

    @PersistenceContext
    EntityManager em;

    @Resource
    TransactionSynchronizationRegistry transaction;

    @Inject
    @ConfigProperty(name = "sluice.current-signing-key")
    Optional<String> configuredCurrent;

    @Inject
    @ConfigProperty(name = "sluice.next-signing-key")
    Optional<String> configuredNext;

    @Inject
    KeysInUse inUse;

    private boolean fromConfiguration;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    void open() {
        Optional<SigningKeys> configured = SigningKeys.configured(configuredCurrent, configuredNext);
        fromConfiguration = configured.isPresent();
        inUse.use(configured.orElseGet(this::storedOrGenerated));
    }

    public SigningKeys keys() {
        return inUse.keys();
    }

    /** Configured keys change only with the configuration; {@link #rotate()} refuses them. */
    public boolean fromConfiguration() {
        return fromConfiguration;
    }

    /** Next becomes current and a fresh next is stored; the new pair is used once the change is committed. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public synchronized SigningKeys rotate() {
        if (fromConfiguration) {
            throw new IllegalStateException("signing keys come from configuration");
        }
        KeyRing ring = em.find(KeyRing.class, KeyRing.ID, LockModeType.PESSIMISTIC_WRITE);
        SigningKeys rotated = ring.keys().rotate();
        ring.hold(rotated);
        afterCommit(() -> inUse.use(rotated));
        LOG.info("Rotated the signing keys");
        return rotated;
    }

    private SigningKeys storedOrGenerated() {
        KeyRing ring = em.find(KeyRing.class, KeyRing.ID);
        if (ring != null) {
            return ring.keys();
        }
        SigningKeys generated = SigningKeys.generate();
        em.persist(new KeyRing(generated));
        LOG.info("Generated signing keys; GET /v2/keys shows them");
        return generated;
    }

    private void afterCommit(Runnable action) {
        AfterCommit.run(transaction, action);
    }
}

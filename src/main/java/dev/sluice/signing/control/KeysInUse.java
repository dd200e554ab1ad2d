package dev.sluice.signing.control;

import dev.sluice.signing.entity.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The signing keys in use and the signer of the current one, replaced together when {@link Keychain} loads or
 * rotates them. A plain bean: every delivery attempt reads its signer here, and a call into the keychain's EJB costs
 * the container's interception on each of them.
 */
@ApplicationScoped
public class KeysInUse {

    private volatile InUse inUse;

    private record InUse(SigningKeys keys, Signer signer) {
    }

    public void use(SigningKeys keys) {
        inUse = new InUse(keys, new Signer(keys.current()));
    }

    public SigningKeys keys() {
        return loaded().keys();
    }

    public Signer signer() {
        return loaded().signer();
    }

    private InUse loaded() {
        InUse loaded = inUse;
        if (loaded == null) {
            throw new IllegalStateException("the signing keys are not loaded yet");
        }
        return loaded;
    }
}

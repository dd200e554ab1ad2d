package dev.sluice.signing.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The generated signing keys, stored so they survive a restart: one row, id {@value #ID}. */
@Entity
@Table(name = "SLUICE_SIGNING_KEYS")
public class KeyRing {

    public static final String ID = "signing";

    @Id
    @Column(name = "ID", length = 32)
    private String id;

    @Column(name = "CURRENT_KEY", nullable = false, length = 200)
    private String currentKey;

    @Column(name = "NEXT_KEY", nullable = false, length = 200)
    private String nextKey;

    protected KeyRing() {
    }

    public KeyRing(SigningKeys keys) {
        this.id = ID;
        hold(keys);
    }

    public SigningKeys keys() {
        return new SigningKeys(currentKey, nextKey);
    }

    public void hold(SigningKeys keys) {
        this.currentKey = keys.current();
        this.nextKey = keys.next();
    }
}

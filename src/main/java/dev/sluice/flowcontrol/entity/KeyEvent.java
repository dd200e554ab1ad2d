package dev.sluice.flowcontrol.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/** One entry of a key's audit trail: an operator action, with the key's limits before and after. */
@Entity
@Table(name = "SLUICE_KEY_EVENT", indexes = @Index(name = "SLUICE_KEY_EVENT_KEY", columnList = "FLOW_KEY, TIME"))
public class KeyEvent {

    @Id
    @Column(length = 64)
    private String id;

    @Column(name = "FLOW_KEY", length = 250, nullable = false)
    private String key;

    @Column(name = "TIME")
    private long time;

    @Column(length = 32, nullable = false)
    private String action;

    @Column(length = 500)
    private String before;

    @Column(length = 500)
    private String after;

    protected KeyEvent() {
    }

    public KeyEvent(String id, String key, long time, String action, String before, String after) {
        this.id = id;
        this.key = key;
        this.time = time;
        this.action = action;
        this.before = before;
        this.after = after;
    }

    public String getKey() { return key; }
    public long getTime() { return time; }
    public String getAction() { return action; }
    public String getBefore() { return before; }
    public String getAfter() { return after; }
}

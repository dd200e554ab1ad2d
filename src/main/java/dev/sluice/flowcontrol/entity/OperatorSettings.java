package dev.sluice.flowcontrol.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What operators set on a flow-control key (pause, pins, and the values kept after an unpin), stored so it survives
 * a restart. Periods in seconds.
 */
@Entity
@Table(name = "SLUICE_KEY_SETTINGS")
public class OperatorSettings {

    @Id
    @Column(name = "FLOW_KEY", length = 250)
    private String key;

    private boolean paused;
    private Integer pinnedParallelism;
    private Integer pinnedRate;
    private Long pinnedPeriod;
    private Integer stickyParallelism;
    private Integer stickyRate;
    private Long stickyPeriod;

    protected OperatorSettings() {
    }

    public OperatorSettings(String key) {
        this.key = key;
    }

    public String getKey() { return key; }
    public boolean isPaused() { return paused; }
    public Integer getPinnedParallelism() { return pinnedParallelism; }
    public Integer getPinnedRate() { return pinnedRate; }
    public Long getPinnedPeriod() { return pinnedPeriod; }
    public Integer getStickyParallelism() { return stickyParallelism; }
    public Integer getStickyRate() { return stickyRate; }
    public Long getStickyPeriod() { return stickyPeriod; }

    public void update(boolean paused, Integer pinnedParallelism, Integer pinnedRate, Long pinnedPeriod,
                       Integer stickyParallelism, Integer stickyRate, Long stickyPeriod) {
        this.paused = paused;
        this.pinnedParallelism = pinnedParallelism;
        this.pinnedRate = pinnedRate;
        this.pinnedPeriod = pinnedPeriod;
        this.stickyParallelism = stickyParallelism;
        this.stickyRate = stickyRate;
        this.stickyPeriod = stickyPeriod;
    }
}

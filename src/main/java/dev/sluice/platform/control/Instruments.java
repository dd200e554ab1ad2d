package dev.sluice.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import java.time.Duration;

/**
 * Sluice's counters and histograms in the application registry (Prometheus: {@code /metrics?scope=application}).
 * Gauges over the flow-control state live in {@code flowcontrol.control.FlowGauges}.
 */
@ApplicationScoped
public class Instruments {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private Counter published;
    private Counter delivered;
    private Counter retried;
    private Counter failed;
    private Timer startDelay;
    private Timer gatekeeperPass;
    private Counter retentionDeleted;
    private Timer retentionPass;

    @PostConstruct
    void register() {
        published = counter("sluice.messages.published", "messages accepted and stored");
        delivered = counter("sluice.messages.delivered", "messages delivered (2xx)");
        retried = counter("sluice.messages.retried", "failed attempts followed by a scheduled retry");
        failed = counter("sluice.messages.failed", "messages whose retries ran out (moved to the DLQ)");
        // a timer (exported in seconds), not a histogram in milliseconds: Payara exports that one's sum unconverted
        startDelay = registry.timer(Metadata.builder().withName("sluice.delivery.start.delay")
                .withDescription("due -> request sent, including waiting for flow-control limits")
                .withUnit(MetricUnits.NANOSECONDS).build());
        gatekeeperPass = registry.timer(Metadata.builder().withName("sluice.gatekeeper.pass")
                .withDescription("duration of one gatekeeper pass (apply events, move granted messages, commit)")
                .withUnit(MetricUnits.NANOSECONDS).build());
        retentionDeleted = counter("sluice.retention.deleted",
                "rows retention deleted: messages, message events, key events, deduplication ids");
        retentionPass = registry.timer(Metadata.builder().withName("sluice.retention.pass")
                .withDescription("duration of one retention pass").withUnit(MetricUnits.NANOSECONDS).build());
    }

    public void published(int count) {
        published.inc(count);
    }

    public void delivered() {
        delivered.inc();
    }

    public void retried() {
        retried.inc();
    }

    public void failed() {
        failed.inc();
    }

    /** From the moment a message (or retry) was due to the moment its request left; includes flow-control waits. */
    public void startDelay(long millis) {
        startDelay.update(Duration.ofMillis(Math.max(0, millis)));
    }

    public void gatekeeperPass(long nanos) {
        gatekeeperPass.update(Duration.ofNanos(nanos));
    }

    public void retentionPass(int deleted, long nanos) {
        retentionDeleted.inc(deleted);
        retentionPass.update(Duration.ofNanos(nanos));
    }

    private Counter counter(String name, String description) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
    }
}

package dev.sluice.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Sluice's counters and histograms in the application registry (Prometheus: {@code /metrics?scope=application}).
 * Gauges over the flow-control state live in {@code flowcontrol.control.FlowGauges}.
 */
@ApplicationScoped
public class Instruments {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    public void published(int count) {
        counter("sluice.messages.published", "messages accepted and stored").inc(count);
    }

    public void delivered() {
        counter("sluice.messages.delivered", "messages delivered (2xx)").inc();
    }

    public void retried() {
        counter("sluice.messages.retried", "failed attempts followed by a scheduled retry").inc();
    }

    public void failed() {
        counter("sluice.messages.failed", "messages whose retries ran out (moved to the DLQ)").inc();
    }

    /** From the moment a message (or retry) was due to the moment its request left; includes flow-control waits. */
    public void startDelay(long millis) {
        Histogram histogram = registry.histogram(Metadata.builder().withName("sluice.delivery.start.delay")
                .withDescription("due -> request sent, including waiting for flow-control limits")
                .withUnit(MetricUnits.MILLISECONDS).build());
        histogram.update(Math.max(0, millis));
    }

    private Counter counter(String name, String description) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
    }
}

package dev.sluice.flowcontrol.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Gauges over the flow-control state: deliveries in flight, the total waitlist, and per-key gauges for the busiest
 * keys only ({@code sluice.metrics.top-keys}, refreshed every few seconds) so label cardinality stays bounded
 * whatever the number of keys.
 */
@Startup
@Singleton
public class FlowGauges {

    private static final String KEY_WAITLIST = "sluice.flowcontrol.key.waitlist";
    private static final String KEY_IN_FLIGHT = "sluice.flowcontrol.key.inflight";

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Inject
    Gatekeeper gatekeeper;

    @Inject
    @ConfigProperty(name = "sluice.metrics.top-keys", defaultValue = "10")
    int topKeys;

    private final Map<String, KeySnapshot> busiest = new ConcurrentHashMap<>();
    private volatile long waitlistTotal;
    private volatile long inFlight;

    @PostConstruct
    void register() {
        registry.gauge(Metadata.builder().withName("sluice.deliveries.inflight")
                .withDescription("deliveries in flight, all keys").build(), this, gauges -> gauges.inFlight);
        registry.gauge(Metadata.builder().withName("sluice.waitlist.total")
                .withDescription("messages waiting for their flow-control limits, all keys").build(),
                this, gauges -> gauges.waitlistTotal);
    }

    /** Scrapes read these values: a scrape never waits for the gatekeeper (it may be stuck on the broker). */
    @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false)
    void refresh() {
        try {
            refreshNow();
        } catch (GatekeeperBusy busy) {
            // the gauges keep their last values until the gatekeeper is free again
        }
    }

    private void refreshNow() {
        inFlight = gatekeeper.inspect(engine -> engine.global().parallelismCount());
        waitlistTotal = gatekeeper.inspect(FlowController::waitingTotal);
        Set<String> top = new HashSet<>();
        gatekeeper.inspect(engine -> engine.busiest(topKeys)).forEach(key -> {
            top.add(key.key());
            if (busiest.put(key.key(), key) == null) {
                registerKey(key.key());
            }
        });
        for (String key : Set.copyOf(busiest.keySet())) {
            if (!top.contains(key)) {
                busiest.remove(key);
                registry.remove(new MetricID(KEY_WAITLIST, new Tag("key", key)));
                registry.remove(new MetricID(KEY_IN_FLIGHT, new Tag("key", key)));
            }
        }
    }

    private void registerKey(String key) {
        Tag tag = new Tag("key", key);
        registry.gauge(Metadata.builder().withName(KEY_WAITLIST).withDescription("waitlist of a busiest key").build(),
                busiest, map -> map.containsKey(key) ? map.get(key).waitListSize() : 0, tag);
        registry.gauge(Metadata.builder().withName(KEY_IN_FLIGHT).withDescription("in flight of a busiest key")
                .build(), busiest, map -> map.containsKey(key) ? map.get(key).parallelismCount() : 0, tag);
    }
}

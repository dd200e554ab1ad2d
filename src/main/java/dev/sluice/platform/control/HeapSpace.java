package dev.sluice.platform.control;

import com.sun.management.GarbageCollectionNotificationInfo;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses new messages while the heap is nearly full after garbage collections ({@link HeapRoom}): a full heap
 * stalls every request, deliveries and flow-control reads too, while a refused publish can be retried. Each key's
 * holding queue costs the embedded broker about 25 KB of the heap it shares with Sluice, so many keys with waiting
 * messages are what fills it.
 */
@ApplicationScoped
public class HeapSpace {

    @Inject
    @ConfigProperty(name = "sluice.memory.max-heap-usage", defaultValue = "90")
    double maxHeapUsagePercent;

    private final NotificationListener listener = this::afterCollection;
    private final List<NotificationEmitter> collectors = new ArrayList<>();
    private Set<String> heapPools;
    private HeapRoom room;

    /** Makes the bean, so it watches collections from the start. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // the observer's only job is to instantiate the bean
    }

    @PostConstruct
    void watch() {
        room = new HeapRoom(maxHeapUsagePercent);
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                collectors.add(emitter);
            }
        }
    }

    /** The platform's collectors outlive the application: a redeployed one must not leave its listener there. */
    @PreDestroy
    void unwatch() {
        for (NotificationEmitter collector : collectors) {
            try {
                collector.removeNotificationListener(listener);
            } catch (ListenerNotFoundException alreadyGone) {
                // nothing to remove
            }
        }
    }

    /** Throws {@link NoRoom} while the last collection left more of the heap in use than allowed. */
    public void requireRoom() {
        room.require();
    }

    private void afterCollection(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        long used = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo()
                .getMemoryUsageAfterGc().entrySet().stream().filter(pool -> heapPools.contains(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed()).sum();
        room.afterCollection(used, Runtime.getRuntime().maxMemory());
    }
}

package dev.sluice.delivery.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The threads the delivery workers run on. The broker's client runs every session's {@code onMessage} on its global
 * pool, and a worker waits there a few milliseconds for the start of its attempt to commit: with fewer threads than
 * sessions, deliveries per second are capped however idle the CPU is. Artemis sizes the pool at 8 threads per core
 * (16 on 2 cores, half the sessions); the launcher sizes it above them
 * ({@code activemq.artemis.client.global.thread.pool.max.size}). Exported as the gauge
 * {@code sluice.delivery.worker.threads}; a pool smaller than the sessions is logged at startup.
 */
@Startup
@Singleton
public class WorkerThreads {

    /** Concurrent sessions of the delivery workers (the MDB's {@code maxSession}). */
    public static final String SESSIONS = "32";

    private static final Logger LOG = Logger.getLogger(WorkerThreads.class.getName());

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @PostConstruct
    void register() {
        registry.gauge(Metadata.builder().withName("sluice.delivery.worker.threads")
                .withDescription("threads the broker client can run delivery workers on (at least the workers' "
                        + SESSIONS + " sessions)").build(), this, WorkerThreads::available);
        int threads = available();
        if (threads < Integer.parseInt(SESSIONS)) {
            LOG.warning(() -> "The broker client runs at most " + threads + " delivery workers at once, fewer than "
                    + "their " + SESSIONS + " sessions: deliveries per second are capped. Set the system property "
                    + ActiveMQClient.THREAD_POOL_MAX_SIZE_PROPERTY_KEY + " to at least " + SESSIONS + ".");
        }
    }

    /** The pool's maximum size; {@code Integer.MAX_VALUE} for an unbounded pool. */
    public int available() {
        return ActiveMQClient.getGlobalThreadPool() instanceof ThreadPoolExecutor pool
                ? pool.getMaximumPoolSize() : Integer.MAX_VALUE;
    }
}

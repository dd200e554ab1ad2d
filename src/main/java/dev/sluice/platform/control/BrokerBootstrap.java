package dev.sluice.platform.control;

import dev.sluice.flowcontrol.entity.Queues;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the embedded Artemis broker of the default setup early in the deployment (CDI's bootstrap), before the
 * gatekeeper and the publish path need it. The message-driven workers' adapter activates even earlier and retries
 * until the broker is up. Loopback only, persistent journal in the data directory.
 * With {@code sluice.broker.embedded=false} nothing starts here.
 */
public class BrokerBootstrap implements Extension {

    private static final Logger LOG = Logger.getLogger(BrokerBootstrap.class.getName());
    private static volatile ActiveMQServer broker;
    /** Intake buffer slots per queue (powers of two). */
    private static final int HOLDING_BUFFER_SLOTS = 64;
    private static final int DELIVERY_BUFFER_SLOTS = 8192;
    private static final long PAGE_BYTES = 128 * 1024;
    private static final long MIN_QUEUE_MEMORY = 16 * 1024;
    static final String IN_VM_URL = "vm://0";
    private static final String HOLDING_QUEUES = Queues.holding("") + ".#";
    private static final SimpleString UNUSED_ADDRESS = SimpleString.of("sluice.unused");

    void start(@Observes BeforeBeanDiscovery event) {
        Config config = ConfigProvider.getConfig(BrokerBootstrap.class.getClassLoader());
        if (!config.getValue("sluice.broker.embedded", Boolean.class) || broker != null) {
            return;
        }
        int port = config.getValue("sluice.broker.port", Integer.class);
        try {
            ActiveMQServer started = new EmbeddedArtemisServer(
                    configuration(Path.of(config.getValue("sluice.data-dir", String.class)), port,
                            queueMemory(config, "sluice.broker.memory-mb", 1024 * 1024),
                            queueMemory(config, "sluice.broker.key-memory-kb", 1024)));
            started.start();
            broker = started;
            LOG.info(() -> "Embedded Artemis broker listening on 127.0.0.1:" + port);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Artemis broker", e);
        }
    }

    void stop(@Observes BeforeShutdown event) {
        ActiveMQServer running = broker;
        broker = null;
        if (running != null) {
            try {
                running.stop();
            } catch (Exception e) {
                LOG.warning(() -> "Embedded broker did not stop cleanly: " + e);
            }
        }
    }

    static boolean isRunning() {
        ActiveMQServer running = broker;
        return running != null && running.isActive();
    }

    /** The setting's bytes; a queue with less memory than {@code MIN_QUEUE_MEMORY} would page almost every message. */
    private static long queueMemory(Config config, String property, long unitBytes) {
        long bytes = config.getValue(property, Long.class) * unitBytes;
        if (bytes < MIN_QUEUE_MEMORY) {
            throw new IllegalArgumentException(property + " must be at least " + MIN_QUEUE_MEMORY / 1024 + " KB");
        }
        return bytes;
    }

    /**
     * @param sharedMemory bytes the delivery queue and the holding queue of messages without a key keep in memory
     * @param keyMemory bytes each key's holding queue keeps in memory
     */
    private static Configuration configuration(Path dataDir, int port, long sharedMemory, long keyMemory)
            throws Exception {
        Path brokerDir = dataDir.resolve("broker");
        Configuration config = new ConfigurationImpl()
                .setName("sluice")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(brokerDir.resolve("journal").toString())
                .setBindingsDirectory(brokerDir.resolve("bindings").toString())
                .setLargeMessagesDirectory(brokerDir.resolve("large-messages").toString())
                .setPagingDirectory(brokerDir.resolve("paging").toString())
                .setJMXManagementEnabled(false)
                // its measures cost 360 bytes of heap per queue, so per flow-control key
                .setCriticalAnalyzer(false)
                // Each queue pages on its own, beyond its own limit: no global limit. Beyond a global limit Artemis
                // pages every address at once, and each paging address keeps a page file open: tens of thousands
                // of keys exhausted the process's file handles, and the broker shut itself down.
                .setGlobalMaxSize(-1)
                // syncs requested within this time share one disk sync (default 3.3 ms): it bounds dispatch lag
                .setJournalBufferTimeout_NIO(1_000_000)
                .addAcceptorConfiguration("loopback", "tcp://127.0.0.1:" + port)
                .addAcceptorConfiguration("in-vm", IN_VM_URL);
        addQueueSettings(config, sharedMemory, keyMemory);
        config.addQueueConfiguration(QueueConfiguration.of(Queues.DELIVERY).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true));
        config.addQueueConfiguration(QueueConfiguration.of(Queues.UNREADABLE).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true));
        return config;
    }

    /**
     * The settings of Sluice's queues (broker/standalone/broker.xml has the same).
     *
     * @param sharedMemory bytes the delivery queue and the holding queue of messages without a key keep in memory
     * @param keyMemory bytes each key's holding queue keeps in memory
     */
    public static Configuration addQueueSettings(Configuration config, long sharedMemory, long keyMemory) {
        config.addAddressSetting("sluice.#", queueSettings(keyMemory));
        config.addAddressSetting(HOLDING_QUEUES, holdingQueueSettings(keyMemory));
        // messages without a key share one holding queue: it gets the shared memory, not one key's
        config.addAddressSetting(Queues.holding(""), holdingQueueSettings(sharedMemory));
        // the delivery queue is declared, never auto-deleted: after a restart the gatekeeper sends before the
        // workers' consumers exist, and an idle auto-created queue could be deleted under it
        config.addAddressSetting(Queues.DELIVERY, queueSettings(sharedMemory).setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false).setInitialQueueBufferSize(DELIVERY_BUFFER_SLOTS));
        return config;
    }

    /**
     * A take the gatekeeper rolls back goes back to the head of its holding queue at once: with a redelivery delay
     * the key's next message would overtake it.
     */
    private static AddressSettings holdingQueueSettings(long memory) {
        return queueSettings(memory).setRedeliveryDelay(0);
    }

    /** @param memory bytes of messages a queue keeps in memory (in Sluice's heap); beyond, it pages them to disk */
    private static AddressSettings queueSettings(long memory) {
        return new AddressSettings()
                .setAutoCreateAddresses(true)
                .setAutoCreateQueues(true)
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                // idle holding queues of keys that went quiet disappear after a minute
                .setAutoDeleteQueues(true)
                .setAutoDeleteQueuesDelay(60_000)
                .setAutoDeleteAddresses(true)
                .setAutoDeleteAddressesDelay(60_000)
                .setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(1_000)
                // never used (no attempt limit, no expiry): without them Artemis logs a warning per new queue
                .setDeadLetterAddress(UNUSED_ADDRESS)
                .setExpiryAddress(UNUSED_ADDRESS)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxSizeBytes(memory)
                // a queue reading from its page file holds one whole page in memory: 100 busy keys with 1 MB pages held
                // 90,000 messages
                .setPageSizeBytes((int) Math.min(PAGE_BYTES, memory / 2))
                // read-ahead from page files is per queue: 100 busy keys at 2 MB each held 200 MB of heap
                .setMaxReadPageBytes(256 * 1024)
                // per-queue intake buffer, grows on demand: the default (8,192 slots, 32 KB) costs 330 MB of heap at
                // 10,000 holding queues
                .setInitialQueueBufferSize(HOLDING_BUFFER_SLOTS);
    }
}

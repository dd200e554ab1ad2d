package dev.sluice.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Artemis broker of the embedded default: started inside the application, listening on loopback only, with a
 * persistent journal in the data directory. With {@code sluice.broker.embedded=false} nothing starts here and the
 * resource adapter and the gatekeeper talk to a standalone broker instead.
 */
@Startup
@Singleton
public class EmbeddedBroker {

    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class.getName());

    @Inject
    @ConfigProperty(name = "sluice.broker.embedded")
    boolean embedded;

    @Inject
    @ConfigProperty(name = "sluice.broker.port")
    int port;

    @Inject
    @ConfigProperty(name = "sluice.data-dir")
    String dataDir;

    private EmbeddedActiveMQ broker;

    @PostConstruct
    void start() {
        if (!embedded) {
            LOG.info("Using the standalone broker (sluice.broker.embedded=false)");
            return;
        }
        try {
            broker = new EmbeddedActiveMQ().setConfiguration(configuration());
            broker.start();
            LOG.info(() -> "Embedded Artemis broker listening on 127.0.0.1:" + port);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Artemis broker", e);
        }
    }

    private Configuration configuration() throws Exception {
        Path brokerDir = Path.of(dataDir, "broker");
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
                .addAcceptorConfiguration("loopback", "tcp://127.0.0.1:" + port);
        config.addAddressSetting("sluice.#", queueSettings());
        return config;
    }

    static AddressSettings queueSettings() {
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
                .setRedeliveryDelay(1_000);
    }

    public boolean isRunning() {
        return !embedded || (broker != null && broker.getActiveMQServer().isActive());
    }

    @PreDestroy
    void stop() {
        if (broker != null) {
            try {
                broker.stop();
            } catch (Exception e) {
                LOG.warning(() -> "Embedded broker did not stop cleanly: " + e);
            }
        }
    }
}

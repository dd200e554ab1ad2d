package dev.sluice.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.UnaryOperator;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The broker Sluice uses, the embedded one (see {@link BrokerBootstrap}) or a standalone one: whether it is up, and
 * how Sluice's own clients reach it.
 */
@ApplicationScoped
public class EmbeddedBroker {

    @Inject
    @ConfigProperty(name = "sluice.broker.embedded")
    boolean embedded;

    @Inject
    @ConfigProperty(name = "sluice.broker.host")
    String host;

    @Inject
    @ConfigProperty(name = "sluice.broker.port")
    int port;

    @Inject
    @ConfigProperty(name = "sluice.broker.user")
    String user;

    @Inject
    @ConfigProperty(name = "sluice.broker.password")
    String password;

    public boolean isEmbedded() {
        return embedded;
    }

    public boolean isRunning() {
        return !embedded || BrokerBootstrap.isRunning();
    }

    /**
     * Where the application's own broker clients connect: in-VM to the embedded broker (no socket, no encoding in
     * between, which also shortens the gatekeeper's commit), TCP to a standalone one. The resource adapter is
     * configured the same way by the launcher (in-VM to the embedded broker, whose classes it carries).
     */
    public String clientUrl() {
        return embedded ? BrokerBootstrap.IN_VM_URL : "tcp://" + host + ":" + port;
    }

    /** A connection of Sluice's own to the broker, at {@link #clientUrl()}. */
    public CoreConnection connect(UnaryOperator<ServerLocator> tuning) throws Exception {
        return CoreConnection.open(clientUrl(), user, password, tuning);
    }
}

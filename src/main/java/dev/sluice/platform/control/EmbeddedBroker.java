package dev.sluice.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Whether the broker Sluice uses is up: the embedded one (see {@link BrokerBootstrap}) or a standalone one. */
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
}

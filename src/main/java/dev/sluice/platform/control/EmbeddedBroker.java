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

    public boolean isRunning() {
        return !embedded || BrokerBootstrap.isRunning();
    }
}

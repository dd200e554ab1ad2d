package dev.sluice.publish.control;

import dev.sluice.platform.entity.HumanDuration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the {@link DraftReader} with the configured limits. */
@ApplicationScoped
public class PublishLimits {

    @Inject
    @ConfigProperty(name = "sluice.max-body-bytes")
    long maxBodyBytes;

    @Inject
    @ConfigProperty(name = "sluice.delivery.default-timeout")
    String defaultTimeout;

    @Inject
    @ConfigProperty(name = "sluice.delivery.max-timeout")
    String maxTimeout;

    @Produces
    DraftReader draftReader() {
        return new DraftReader(new DraftReader.Limits(maxBodyBytes,
                HumanDuration.parse(defaultTimeout, "sluice.delivery.default-timeout"),
                HumanDuration.parse(maxTimeout, "sluice.delivery.max-timeout")));
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }
}

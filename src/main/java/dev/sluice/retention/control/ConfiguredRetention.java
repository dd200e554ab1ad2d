package dev.sluice.retention.control;

import dev.sluice.retention.entity.RetentionPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The retention settings, read once: the retention pass and the delivery workers go by the same policy. */
@ApplicationScoped
public class ConfiguredRetention {

    @Inject
    @ConfigProperty(name = RetentionPolicy.FINISHED_SETTING, defaultValue = "7d")
    String finished;

    @Inject
    @ConfigProperty(name = RetentionPolicy.DEAD_LETTERS_SETTING, defaultValue = "30d")
    String deadLetters;

    @Inject
    @ConfigProperty(name = RetentionPolicy.DEDUPLICATIONS_SETTING, defaultValue = "10m")
    String deduplications;

    private RetentionPolicy policy;

    @PostConstruct
    void read() {
        policy = RetentionPolicy.of(finished, deadLetters, deduplications);
    }

    public RetentionPolicy policy() {
        return policy;
    }
}

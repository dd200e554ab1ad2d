package dev.sluice.platform.boundary;

import dev.sluice.flowcontrol.control.Gatekeeper;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready = the broker runs, the gatekeeper restored its state and moves messages, the database answers, and requests to
 * /v2 reach the API.
 */
@Readiness
@ApplicationScoped
public class PipelineReadiness implements HealthCheck {

    @Inject
    Gatekeeper gatekeeper;

    @Inject
    ApiRoute apiRoute;

    @Resource(lookup = "java:app/jdbc/sluice")
    DataSource database;

    @Override
    public HealthCheckResponse call() {
        boolean databaseUp = databaseAnswers();
        boolean pipelineUp = gatekeeper.isReady();
        boolean apiUp = pipelineUp && apiRoute.isOpen();
        return HealthCheckResponse.named("sluice")
                .status(databaseUp && pipelineUp && apiUp)
                .withData("database", databaseUp)
                .withData("pipeline", pipelineUp)
                .withData("api", apiUp)
                .build();
    }

    private boolean databaseAnswers() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}

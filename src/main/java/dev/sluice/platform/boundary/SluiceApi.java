package dev.sluice.platform.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The QStash-compatible REST API lives under /v2. */
@ApplicationPath("v2")
public class SluiceApi extends Application {

    /**
     * No resource declares Bean Validation constraints (input is checked by the resources, answering QStash's
     * errors), so Jersey's validation of every request's resource and parameters is switched off.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.beanValidation.disable.server", true);
    }
}

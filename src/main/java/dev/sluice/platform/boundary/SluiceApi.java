package dev.sluice.platform.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The QStash-compatible REST API lives under /v2. */
@ApplicationPath("v2")
public class SluiceApi extends Application {
}

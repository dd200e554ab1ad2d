package dev.sluice.platform.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether requests to /v2 reach the API. The application starts before Payara routes the root context to it: for up
 * to about a second after, /v2 answers Payara's 404 page, then an empty 500 (the request reaches no context). So
 * readiness asks the API itself over loopback until it answers once; the API answers every request with JSON (here
 * its 401 or 404), Payara's own pages are HTML.
 */
@ApplicationScoped
public class ApiRoute {

    /** Connect, then answer: together within an orchestrator's usual probe timeout (1 s). */
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(400);

    @Inject
    @ConfigProperty(name = "sluice.port", defaultValue = "8080")
    int port;

    private HttpClient http;
    private volatile boolean open;

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PROBE_TIMEOUT).build();
    }

    /** Once the API answered, the route stays: later calls do not ask again. */
    public boolean isOpen() {
        if (!open) {
            open = apiAnswers();
        }
        return open;
    }

    private boolean apiAnswers() {
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                .timeout(PROBE_TIMEOUT).build();
        try {
            HttpResponse<Void> answer = http.send(probe, HttpResponse.BodyHandlers.discarding());
            return answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        } catch (IOException notRoutedYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

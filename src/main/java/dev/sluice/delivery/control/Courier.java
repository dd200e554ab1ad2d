package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.Outgoing;
import dev.sluice.flowcontrol.control.FlowEvents;
import dev.sluice.platform.control.Instruments;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorDefinition;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes the HTTP call of one attempt. The call is asynchronous on one shared {@link HttpClient}; its outcome is
 * recorded on a managed thread, then the gatekeeper hears that the slot is free.
 */
@ApplicationScoped
@ManagedExecutorDefinition(name = Courier.EXECUTOR, maxAsync = 16)
public class Courier {

    static final String EXECUTOR = "java:app/concurrent/sluice-deliveries";
    private static final Logger LOG = Logger.getLogger(Courier.class.getName());
    /** headers HttpClient sets itself and refuses from callers */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    @Inject
    Attempts attempts;

    @Inject
    FlowEvents events;

    @Inject
    Instruments instruments;

    @Resource(lookup = EXECUTOR)
    ManagedExecutorService executor;

    private HttpClient http;

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public void deliver(DeliveryTicket ticket) {
        Optional<Outgoing> outgoing = attempts.start(ticket);
        if (outgoing.isEmpty()) {
            events.attemptEnded(ticket.messageId());
            return;
        }
        HttpRequest request;
        try {
            request = request(outgoing.get(), () -> sent(ticket, outgoing.get()));
        } catch (IllegalArgumentException e) {
            finish(ticket, AttemptResult.noResponse("invalid request: " + e.getMessage()));
            return;
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handleAsync((response, error) -> {
                    finish(ticket, response != null
                            ? AttemptResult.response(response.statusCode(), response.headers(), response.body())
                            : AttemptResult.noResponse(describe(error)));
                    return null;
                }, executor);
    }

    private void sent(DeliveryTicket ticket, Outgoing outgoing) {
        long now = System.currentTimeMillis();
        events.sent(ticket.messageId(), now);
        instruments.startDelay(now - outgoing.dueAt());
    }

    private void finish(DeliveryTicket ticket, AttemptResult result) {
        try {
            attempts.finish(ticket, result);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not record the attempt of " + ticket.messageId()
                    + "; it is made again after a restart", e);
        } finally {
            events.attemptEnded(ticket.messageId());
        }
    }

    private static HttpRequest request(Outgoing outgoing, Runnable onSend) {
        boolean sendsBody = outgoing.body().length > 0 && !Set.of("GET", "HEAD").contains(outgoing.method());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(outgoing.url()))
                .timeout(Duration.ofMillis(outgoing.timeoutMillis()))
                .method(outgoing.method(), new SendSignal(sendsBody
                        ? HttpRequest.BodyPublishers.ofByteArray(outgoing.body())
                        : HttpRequest.BodyPublishers.noBody(), onSend));
        outgoing.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request
                .setHeader("User-Agent", "Upstash-QStash")
                .setHeader("Upstash-Message-Id", outgoing.messageId())
                .setHeader("Upstash-Retried", Integer.toString(outgoing.retried()))
                .build();
    }

    private static String describe(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

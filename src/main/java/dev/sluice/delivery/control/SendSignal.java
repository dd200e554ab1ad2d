package dev.sluice.delivery.control;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body that tells when the request actually leaves: HttpClient subscribes to the body once the
 * connection is ready and the headers are being written. Rate windows are anchored at this instant.
 * <p>
 * Runs on an HTTP client thread without an application context: {@code onSend} must not use container services.
 */
final class SendSignal implements HttpRequest.BodyPublisher {

    private final HttpRequest.BodyPublisher body;
    private final Runnable onSend;
    private final AtomicBoolean signalled = new AtomicBoolean();

    SendSignal(HttpRequest.BodyPublisher body, Runnable onSend) {
        this.body = body;
        this.onSend = onSend;
    }

    @Override
    public long contentLength() {
        return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        if (signalled.compareAndSet(false, true)) {
            onSend.run();
        }
        body.subscribe(subscriber);
    }
}

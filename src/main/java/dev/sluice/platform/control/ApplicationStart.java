package dev.sluice.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells when the application is started. Until then, threads the container and the HTTP client hand out have no
 * application context (Payara: "InvocationManager.peekAppEnvironment() is null"), so nothing is delivered before.
 */
@ApplicationScoped
public class ApplicationStart {

    private final CountDownLatch started = new CountDownLatch(1);

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        started.countDown();
    }

    public boolean isStarted() {
        return started.getCount() == 0;
    }

    /** Waits (bounded) for the start; true if started. */
    public boolean await(long millis) throws InterruptedException {
        return started.await(millis, TimeUnit.MILLISECONDS);
    }
}

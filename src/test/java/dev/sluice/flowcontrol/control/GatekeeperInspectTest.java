package dev.sluice.flowcontrol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class GatekeeperInspectTest {

    @Test
    void aReadThatCannotHaveTheStateInTimeIsRefusedInsteadOfWaitingForTheStuckPass() throws Exception {
        Gatekeeper gatekeeper = new Gatekeeper();
        gatekeeper.events = new FlowEvents();
        gatekeeper.inspectWaitMillis = 50;
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = new Thread(() -> gatekeeper.inspect(engine -> {
            holding.countDown();
            awaitQuietly(release);
            return null;
        }));
        stuck.start();
        holding.await();

        GatekeeperBusy busy = assertThrows(GatekeeperBusy.class, () -> gatekeeper.inspect(engine -> "read"));
        assertEquals("flow-control state unavailable: the gatekeeper has been busy for 50 ms (is the broker "
                + "reachable?); try again", busy.getMessage());

        release.countDown();
        stuck.join();
        assertEquals("read", gatekeeper.inspect(engine -> "read"), "free again: answered");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

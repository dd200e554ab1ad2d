package dev.sluice.delivery.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.messages.entity.Message;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EarlyOutcomeTest {

    private final EarlyOutcome early = new EarlyOutcome();

    @Test
    void anOutcomeHandedOverBeforeTheStartIsWrittenIsWrittenWithItEveryTimeTheStartIs() {
        Outcome delivered = outcome("delivered");

        assertTrue(early.offer(delivered));

        assertEquals(Optional.of(delivered), early.close());
        assertEquals(Optional.of(delivered), early.close(), "a failed transaction writes the start again");
        assertEquals(Optional.of(delivered), early.taken());
    }

    @Test
    void anOutcomeComingInOnceTheStartIsBeingWrittenIsNotTaken() {
        assertEquals(Optional.empty(), early.close());

        assertFalse(early.offer(outcome("late")), "recorded after its start instead");
        assertEquals(Optional.empty(), early.close());
        assertEquals(Optional.empty(), early.taken());
    }

    @Test
    void onlyTheFirstOutcomeIsTaken() {
        Outcome first = outcome("first");

        assertTrue(early.offer(first));
        assertFalse(early.offer(outcome("second")));
        assertEquals(Optional.of(first), early.close());
    }

    private static Outcome outcome(String body) {
        return new Outcome(new DeliveryTicket("msg_1", "", FlowConfig.unlimited(), 1_000, 0),
                new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0),
                AttemptResult.noResponse(body));
    }
}

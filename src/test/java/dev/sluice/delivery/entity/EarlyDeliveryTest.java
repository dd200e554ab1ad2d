package dev.sluice.delivery.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.messages.entity.Message;
import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EarlyDeliveryTest {

    private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (name, value) -> true);

    private final EarlyDelivery early = new EarlyDelivery();

    @Test
    void aDeliveryHandedOverBeforeTheStartIsWrittenIsWrittenWithItEveryTimeTheStartIs() {
        Outcome delivered = outcome(200, null);

        assertTrue(early.offer(delivered));

        assertEquals(Optional.of(delivered), early.seal());
        assertEquals(Optional.of(delivered), early.seal(), "a failed transaction writes the start again");
        assertEquals(Optional.of(delivered), early.taken());
    }

    @Test
    void aDeliveryComingInOnceTheStartIsBeingWrittenIsNotTaken() {
        assertEquals(Optional.empty(), early.seal());

        assertFalse(early.offer(outcome(200, null)), "recorded after its start instead");
        assertEquals(Optional.empty(), early.seal());
        assertEquals(Optional.empty(), early.taken());
    }

    @Test
    void onlyTheFirstDeliveryIsTaken() {
        Outcome first = outcome(200, null);

        assertTrue(early.offer(first));
        assertFalse(early.offer(outcome(204, null)));
        assertEquals(Optional.of(first), early.seal());
    }

    @Test
    void noOtherOutcomeJoinsTheStart() {
        assertFalse(early.offer(outcome(500, null)), "an error: a retry to schedule or a dead letter");
        assertFalse(early.offer(outcome(200, "http://127.0.0.1:9/callback")), "a callback to publish");
        assertFalse(early.offer(new Outcome(ticket(), message(null), AttemptResult.noResponse("timed out"))));

        assertEquals(Optional.empty(), early.seal());
    }

    private static Outcome outcome(int status, String callback) {
        return new Outcome(ticket(), message(callback), AttemptResult.response(status, NONE, new byte[0]));
    }

    private static DeliveryTicket ticket() {
        return new DeliveryTicket("msg_1", "", FlowConfig.unlimited(), 1_000, 0);
    }

    private static Message message(String callback) {
        Message message = new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0);
        message.setCallback(callback);
        return message;
    }
}

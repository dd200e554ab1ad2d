package dev.sluice.delivery.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.flowcontrol.entity.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicketBatchTest {

    @Test
    void ticketsComeBackAsTheyWereInTheirOrder() {
        List<DeliveryTicket> tickets = List.of(
                new DeliveryTicket("msg_1", "", FlowConfig.unlimited(), 30_000, 0),
                new DeliveryTicket("msg_2", "tenant-ä/1", new FlowConfig(7, null, null), 5_000, 3),
                new DeliveryTicket("msg_3", "k", new FlowConfig(null, 3, Period.ofSeconds(60)), 1, 2),
                new DeliveryTicket("msg_4", "k", new FlowConfig(2, 10, Period.ofSeconds(604_800)), 1_000, 0));

        assertEquals(tickets, TicketBatch.decode(new TicketBatch(tickets).encode()).tickets());
    }

    @Test
    void aLargeBatchKeepsEveryTicket() {
        List<DeliveryTicket> tickets = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            tickets.add(new DeliveryTicket("msg_" + i, "key-" + i % 7, new FlowConfig(i + 1, null, null), i, i % 3));
        }

        assertEquals(tickets, TicketBatch.decode(new TicketBatch(tickets).encode()).tickets());
    }

    @Test
    void anEmptyBatchIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TicketBatch(List.of()));
    }

    @Test
    void aBodyOfAnotherFormatCutShortOrWithACorruptCountIsRefused() {
        byte[] body = new TicketBatch(List.of(new DeliveryTicket("msg_1", "", FlowConfig.unlimited(), 1, 0))).encode();
        byte[] otherFormat = body.clone();
        otherFormat[0] = 9;
        byte[] cut = Arrays.copyOf(body, body.length - 1);
        byte[] countTooLarge = body.clone();
        countTooLarge[1] = 0x7f;

        assertThrows(IllegalArgumentException.class, () -> TicketBatch.decode(otherFormat));
        assertThrows(IllegalArgumentException.class, () -> TicketBatch.decode(cut));
        assertThrows(IllegalArgumentException.class, () -> TicketBatch.decode(countTooLarge),
                "a corrupt count is refused before anything is allocated for it");
    }
}

package dev.sluice.delivery.entity;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.flowcontrol.entity.Period;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tickets as the body of a broker message (a bytes message: its type tells it from a message of an older version,
 * which carried one ticket in its properties). A message of a holding queue carries one ticket; one of the delivery
 * queue carries the tickets the gatekeeper granted together, so that one broker message, one worker and one read
 * of their rows serve all of them. Properties would cost the broker a decoded map per waiting message; the body
 * stays bytes (the bench's 100,000 keys with three messages each took 189 MB less live heap).
 */
public record TicketBatch(List<DeliveryTicket> tickets) {

    /** property of a message of the delivery queue: how many tickets its body holds (for people looking) */
    public static final String COUNT = "sluice_tickets";

    private static final byte FORMAT = 1;
    private static final int NONE = -1;

    public TicketBatch {
        if (tickets.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one ticket");
        }
        tickets = List.copyOf(tickets);
    }

    public static TicketBatch of(DeliveryTicket ticket) {
        return new TicketBatch(List.of(ticket));
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * tickets.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(tickets.size());
            for (DeliveryTicket ticket : tickets) {
                write(out, ticket);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static TicketBatch decode(byte[] body) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown ticket batch format " + format);
            }
            int count = in.readInt();
            if (count < 1 || count > body.length) {
                throw new IllegalArgumentException("a ticket batch cannot hold " + count + " tickets");
            }
            List<DeliveryTicket> tickets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                tickets.add(read(in));
            }
            return new TicketBatch(tickets);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable ticket batch", e);
        }
    }

    private static void write(DataOutputStream out, DeliveryTicket ticket) throws IOException {
        out.writeUTF(ticket.messageId());
        out.writeUTF(ticket.flowKey());
        out.writeInt(orNone(ticket.config().parallelism()));
        out.writeInt(orNone(ticket.config().rate()));
        out.writeLong(ticket.config().period().seconds());
        out.writeLong(ticket.timeoutMillis());
        out.writeInt(ticket.retried());
    }

    private static DeliveryTicket read(DataInputStream in) throws IOException {
        String messageId = in.readUTF();
        String flowKey = in.readUTF();
        Integer parallelism = orNull(in.readInt());
        Integer rate = orNull(in.readInt());
        FlowConfig config = new FlowConfig(parallelism, rate, Period.ofSeconds(in.readLong()));
        return new DeliveryTicket(messageId, flowKey, config, in.readLong(), in.readInt());
    }

    private static int orNone(Integer limit) {
        return limit == null ? NONE : limit;
    }

    private static Integer orNull(int limit) {
        return limit == NONE ? null : limit;
    }
}

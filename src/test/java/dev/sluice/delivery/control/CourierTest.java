package dev.sluice.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.delivery.entity.Attempt;
import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.Claim;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.Outgoing;
import dev.sluice.flowcontrol.control.FlowEvents;
import dev.sluice.flowcontrol.control.Waitlist;
import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.platform.control.ApplicationStart;
import dev.sluice.platform.control.Instruments;
import dev.sluice.retention.control.ConfiguredRetention;
import dev.sluice.retention.entity.RetentionPolicy;
import dev.sluice.signing.control.KeysInUse;
import dev.sluice.signing.entity.SigningKeys;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a worker does with the tickets of one broker message, given what their claim and their starts found. */
class CourierTest {

    private static final String KEY = "sig_" + "a".repeat(28);

    private final Courier courier = new Courier();
    private final List<String> slotsFreed = new CopyOnWriteArrayList<>();
    private final List<Ended> outcomesRecorded = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Returned> returned = new CopyOnWriteArrayList<>();
    private final List<List<DeliveryTicket>> setAside = new CopyOnWriteArrayList<>();
    private final List<List<Waitlist.Admission>> repeated = new CopyOnWriteArrayList<>();
    /** the slots freed when the last tickets were sent back */
    private volatile List<String> slotsFreedAtSendBack = List.of();
    private volatile long responseDelayMillis;
    private Claim claim;
    private List<CompletableFuture<Boolean>> starts = List.of();
    private HttpServer destination;

    private RetentionPolicy retentionPolicy = RetentionPolicy.of("7d", "30d", "10m");

    private record Returned(List<DeliveryTicket> tickets, int returnsBefore) {
    }

    /** An outcome handed to the recorder, with the start it must follow. */
    private record Ended(DeliveryTicket ticket, CompletableFuture<Boolean> started) {
    }

    @BeforeEach
    void wire() throws Exception {
        destination = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        destination.createContext("/", exchange -> {
            requests.add(exchange.getRequestHeaders().getFirst("Upstash-Message-Id"));
            pause(responseDelayMillis);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        destination.start();
        courier.recorder = new AttemptRecorder() {
            @Override
            public Claim claim(List<DeliveryTicket> tickets) {
                return claim;
            }

            @Override
            public List<CompletableFuture<Boolean>> start(List<Attempt> attempts) {
                return starts;
            }

            @Override
            public CompletableFuture<?> ended(Attempt attempt, AttemptResult result,
                                              CompletableFuture<Boolean> started) {
                outcomesRecorded.add(new Ended(attempt.ticket(), started));
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void sendBack(List<Waitlist.Admission> repeats, List<DeliveryTicket> unseen, int returnsBefore) {
                slotsFreedAtSendBack = List.copyOf(slotsFreed);
                if (!repeats.isEmpty()) {
                    repeated.add(repeats);
                }
                if (!unseen.isEmpty()) {
                    returned.add(new Returned(unseen, returnsBefore));
                }
            }
        };
        courier.queue = new DeliveryQueue() {
            @Override
            public void setAside(List<DeliveryTicket> tickets, String why) {
                setAside.add(tickets);
            }
        };
        courier.events = new FlowEvents() {
            @Override
            public void attemptEnded(String messageId) {
                slotsFreed.add(messageId);
            }

            @Override
            public void sent(String messageId, long sentAtMillis) {
            }
        };
        courier.instruments = new Instruments() {
            @Override
            public void startDelay(long millis) {
            }
        };
        courier.applicationStart = new ApplicationStart() {
            @Override
            public boolean await(long millis) {
                return true;
            }
        };
        courier.keys = new KeysInUse();
        courier.keys.use(new SigningKeys(KEY, KEY));
        courier.threads = new PlainThreads();
        courier.httpThreads = 2;
        courier.retention = new ConfiguredRetention() {
            @Override
            public RetentionPolicy policy() {
                return retentionPolicy;
            }
        };
        courier.init();
    }

    @AfterEach
    void stop() {
        courier.stop();
        destination.stop(0);
    }

    @Test
    void ticketsNotDueFreeTheirSlotsAndNothingGoesBack() {
        claim = new Claim(List.of(), List.of(ticket("msg_1")), List.of());

        courier.deliver(List.of(ticket("msg_1")), 0);

        assertEquals(List.of("msg_1"), slotsFreed);
        assertEquals(List.of(), returned);
    }

    @Test
    void unseenTicketsGoBackTogetherKeepingTheirSlotsAndCountingTheirReturns() {
        claim = new Claim(List.of(), List.of(), List.of(ticket("msg_1"), ticket("msg_2")));

        courier.deliver(List.of(ticket("msg_1"), ticket("msg_2")), 3);

        assertEquals(List.of(new Returned(List.of(ticket("msg_1"), ticket("msg_2")), 3)), returned);
        assertEquals(List.of(), slotsFreed);
        assertEquals(List.of(), setAside);
    }

    @Test
    void anUnseenTicketOfAMessageMadeBeforeTheRetentionBeganIsDroppedWithItsSlotFreed() {
        long now = System.currentTimeMillis();
        String pruned = MessageId.at(Message.ID_PREFIX, now - Duration.ofDays(8).toMillis());
        String recent = MessageId.at(Message.ID_PREFIX, now - Duration.ofDays(6).toMillis());
        claim = new Claim(List.of(), List.of(), List.of(ticket(pruned), ticket(recent)));

        courier.deliver(List.of(ticket(pruned), ticket(recent)), 0);

        assertEquals(List.of(pruned), slotsFreed);
        assertEquals(List.of(new Returned(List.of(ticket(recent)), 0)), returned);
        assertEquals(List.of(), setAside);
    }

    @Test
    void anUnseenTicketMadeWithinTheUnseenWindowIsLookedForAgainHoweverShortTheRetention() {
        retentionPolicy = RetentionPolicy.of("30s", "30s", "10m");
        String late = MessageId.at(Message.ID_PREFIX, System.currentTimeMillis() - Duration.ofMinutes(2).toMillis());
        claim = new Claim(List.of(), List.of(), List.of(ticket(late)));

        courier.deliver(List.of(ticket(late)), 0);

        assertEquals(List.of(new Returned(List.of(ticket(late)), 0)), returned);
        assertEquals(List.of(), slotsFreed);
    }

    @Test
    void unseenTicketsAreSetAsideWithTheirSlotsFreedOnceTheirReturnsRanOut() {
        claim = new Claim(List.of(), List.of(), List.of(ticket("msg_1")));

        courier.deliver(List.of(ticket("msg_1")), Courier.UNSEEN_RETURNS);

        assertEquals(List.of(List.of(ticket("msg_1"))), setAside);
        assertEquals(List.of("msg_1"), slotsFreed);
        assertEquals(List.of(), returned);
    }

    @Test
    void anAttemptWhoseStartCannotBeRecordedIsRepeatedThroughItsHoldingQueueASecondAfterItsRequest() throws Exception {
        failTheSecondOfThreeStarts();
        long before = System.currentTimeMillis();

        courier.deliver(List.of(ticket("msg_1"), ticket("msg_2"), ticket("msg_3")), 0);

        Waitlist.Admission repeat = onlyRepeat();
        assertEquals(ticket("msg_2"), repeat.ticket(), "granted and counted again by the gatekeeper");
        assertTrue(slotsFreedAtSendBack.contains("msg_2"), "its request was over first: " + slotsFreedAtSendBack);
        assertBetween(before + DeliveryQueue.RETURN_DELAY.toMillis(),
                System.currentTimeMillis() + DeliveryQueue.RETURN_DELAY.toMillis(), repeat.dueAt());
        assertEquals(List.of(), returned, "not back to the delivery queue, where its repeat would go uncounted");
        await("three requests", () -> requests.size() == 3);
        await("three outcomes", () -> outcomesRecorded.size() == 3);
        for (int i = 0; i < 3; i++) {
            DeliveryTicket ticket = ticket("msg_" + (i + 1));
            Ended ended = outcomesRecorded.stream().filter(outcome -> outcome.ticket().equals(ticket)).findFirst()
                    .orElseThrow();
            assertSame(starts.get(i), ended.started(), "each outcome with its own start, which decides its fate");
        }
    }

    @Test
    void theRepeatOfARequestStillUnderWayWaitsForItsLeaseAndHoldsItsWorkerASecondAtMost() throws Exception {
        failTheSecondOfThreeStarts();
        responseDelayMillis = 3_000;
        long before = System.currentTimeMillis();

        courier.deliver(List.of(ticket("msg_1"), ticket("msg_2"), ticket("msg_3")), 0);

        long returnedAt = System.currentTimeMillis();
        long slack = 1_000;
        assertTrue(returnedAt - before < Courier.UNRECORDED_REQUEST_WAIT.toMillis() + slack,
                "the worker waited " + (returnedAt - before) + " ms");
        assertEquals(ticket("msg_2"), onlyRepeat().ticket());
        assertBetween(before + ticket("msg_2").leaseMillis(), returnedAt + ticket("msg_2").leaseMillis(),
                onlyRepeat().dueAt());
    }

    private void failTheSecondOfThreeStarts() {
        claim = new Claim(List.of(attempt("msg_1"), attempt("msg_2"), attempt("msg_3")), List.of(), List.of());
        starts = List.of(CompletableFuture.completedFuture(true),
                CompletableFuture.failedFuture(new IllegalStateException("the database is gone")),
                CompletableFuture.completedFuture(true));
    }

    private Waitlist.Admission onlyRepeat() {
        assertEquals(1, repeated.size(), repeated.toString());
        assertEquals(1, repeated.get(0).size(), repeated.toString());
        return repeated.get(0).get(0);
    }

    private static void assertBetween(long from, long to, long actual) {
        assertTrue(actual >= from && actual <= to, actual + " not in [" + from + ", " + to + "]");
    }

    private Attempt attempt(String id) {
        String url = "http://127.0.0.1:" + destination.getAddress().getPort() + "/" + id;
        return new Attempt(ticket(id), new Message(id, url, "POST", 0),
                new Outgoing(id, url, "POST", Map.of(), new byte[] {1}, 0, 5_000, System.currentTimeMillis()));
    }

    private static DeliveryTicket ticket(String id) {
        return new DeliveryTicket(id, "", FlowConfig.unlimited(), 5_000, 0);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(String what, Supplier<Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}

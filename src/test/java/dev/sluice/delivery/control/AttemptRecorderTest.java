package dev.sluice.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.delivery.entity.Attempt;
import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.AttemptStep;
import dev.sluice.delivery.entity.Claim;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.StoredMessage;
import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.messages.entity.Message;
import java.net.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AttemptRecorderTest {

    private static final Message.Response ANSWER = new Message.Response(500, "{}", new byte[0], null);
    private static final AttemptResult DELIVERED = AttemptResult.response(200,
            HttpHeaders.of(Map.of(), (name, value) -> true), new byte[0]);

    private final RecordedAttempts stored = new RecordedAttempts();
    private final AttemptRecorder recorder = new AttemptRecorder();
    private final List<List<String>> reads = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startRecorder() {
        recorder.attempts = stored;
        recorder.messages = new StoredMessages() {
            @Override
            public Map<String, StoredMessage> find(List<String> messageIds) {
                reads.add(messageIds);
                Map<String, StoredMessage> found = new HashMap<>();
                messageIds.stream().filter(stored.messages::containsKey).forEach(id ->
                        found.put(id, new StoredMessage(stored.messages.get(id), new byte[0])));
                return found;
            }
        };
        recorder.threads = new PlainThreads();
        recorder.committers = 1;
        recorder.maxAttemptsPerCommit = 16;
        // the starts of a claim are submitted one by one: lingering lets them share a transaction deterministically
        recorder.commitLingerMillis = 50;
        recorder.start();
    }

    @AfterEach
    void stopRecorder() {
        stored.commits.countDown();
        recorder.stop();
    }

    @Test
    void aWaitingMessageIsDueWithWhatToSend() {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));

        Attempt attempt = due(ticket("msg_1", 0)).orElseThrow();

        assertEquals("http://127.0.0.1:9/x", attempt.outgoing().url());
        assertEquals("msg_1", attempt.message().getId());
    }

    @Test
    void theMessagesOfAllTicketsAreReadAtOnceAndEachTicketIsDueOrNot() {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/1", "POST", 0));
        Message delivered = new Message("msg_2", "http://127.0.0.1:9/2", "POST", 0);
        delivered.delivered(ANSWER, 5);
        stored.put(delivered);
        stored.put(new Message("msg_3", "http://127.0.0.1:9/3", "POST", 0));

        Claim claim = recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_2", 0), ticket("msg_3", 0)));

        assertEquals(List.of(List.of("msg_1", "msg_2", "msg_3")), reads, "one read for the three tickets");
        assertEquals(List.of("msg_1", "msg_3"), claim.due().stream().map(attempt -> attempt.ticket().messageId())
                .toList());
        assertEquals(List.of(ticket("msg_2", 0)), claim.notDue());
    }

    @Test
    void aCopyOfATicketMetWhileItsAttemptIsUnderWayIsInNoListOfItsClaim() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));
        Attempt first = due(ticket("msg_1", 0)).orElseThrow();
        var started = recorder.start(List.of(first));
        Claim none = new Claim(List.of(), List.of(), List.of());

        assertEquals(none, recorder.claim(List.of(ticket("msg_1", 0))), "while the start is recorded");
        stored.commits.countDown();
        assertEquals(true, started.get(0).get(5, TimeUnit.SECONDS));
        assertTrue(stored.started.contains("msg_1"));
        assertEquals(none, recorder.claim(List.of(ticket("msg_1", 0))), "while the request is in flight");

        recorder.ended(first, DELIVERED, started.get(0)).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(ticket("msg_1", 0)), recorder.claim(List.of(ticket("msg_1", 0))).notDue(),
                "once the attempt is over, a copy is not due and frees its slot");
        assertEquals(List.of("msg_1"), stored.endedAfterStart, "its start written, the outcome follows alone");
        assertEquals(List.of(), stored.endedWithStart);
    }

    @Test
    void aDeliveryThatComesInBeforeItsStartIsWrittenIsWrittenWithIt() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));
        Attempt attempt = due(ticket("msg_1", 0)).orElseThrow();
        var started = recorder.start(List.of(attempt));

        var recorded = recorder.ended(attempt, DELIVERED, started.get(0));
        Claim none = new Claim(List.of(), List.of(), List.of());
        assertEquals(none, recorder.claim(List.of(ticket("msg_1", 0))), "claimed until both are written");
        stored.commits.countDown();

        assertEquals(true, started.get(0).get(5, TimeUnit.SECONDS));
        recorded.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("msg_1"), stored.endedWithStart);
        assertEquals(List.of(), stored.endedAfterStart, "not recorded a second time");
        assertEquals(1, stored.transactions.get());
        assertEquals(List.of(ticket("msg_1", 0)), recorder.claim(List.of(ticket("msg_1", 0))).notDue(),
                "once the attempt is over, a copy is not due and frees its slot");
    }

    @Test
    void anOutcomeOtherThanADeliveryIsRecordedAfterItsStartThoughItCameInBefore() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));
        Attempt attempt = due(ticket("msg_1", 0)).orElseThrow();
        var started = recorder.start(List.of(attempt));

        var recorded = recorder.ended(attempt, AttemptResult.noResponse("timed out"), started.get(0));
        stored.commits.countDown();

        assertEquals(true, started.get(0).get(5, TimeUnit.SECONDS));
        recorded.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), stored.endedWithStart, "a retry to schedule must not be able to fail its start");
        assertEquals(List.of("msg_1"), stored.endedAfterStart);
        assertEquals(2, stored.transactions.get());
    }

    @Test
    void theOutcomeOfAnAttemptWhoseStartFailedIsNotRecordedWhetherItCameInBeforeOrAfter() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/1", "POST", 0));
        stored.put(new Message("msg_2", "http://127.0.0.1:9/2", "POST", 0));
        stored.failStartOf = "msg_1";
        Attempt before = due(ticket("msg_1", 0)).orElseThrow();
        var startedBefore = recorder.start(List.of(before));
        var recordedBefore = recorder.ended(before, DELIVERED, startedBefore.get(0));
        stored.commits.countDown();
        assertThrows(ExecutionException.class, () -> startedBefore.get(0).get(5, TimeUnit.SECONDS));
        stored.failStartOf = "msg_2";
        Attempt after = due(ticket("msg_2", 0)).orElseThrow();
        var startedAfter = recorder.start(List.of(after));
        assertThrows(ExecutionException.class, () -> startedAfter.get(0).get(5, TimeUnit.SECONDS));

        var recordedAfter = recorder.ended(after, DELIVERED, startedAfter.get(0));

        recordedBefore.get(5, TimeUnit.SECONDS);
        recordedAfter.get(5, TimeUnit.SECONDS);
        assertTrue(before.early().taken().isPresent(), "handed over to its start");
        assertTrue(after.early().taken().isEmpty(), "came in after its start, left to wait for it");
        assertEquals(List.of(), stored.endedWithStart);
        assertEquals(List.of(), stored.endedAfterStart, "their repeats' outcomes are the ones recorded");
        assertTrue(due(ticket("msg_1", 0)).isPresent(), "claim released, the row still waits");
        assertTrue(due(ticket("msg_2", 0)).isPresent(), "claim released, the row still waits");
    }

    @Test
    void twoCopiesOfATicketInOneClaimMakeOneAttempt() {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));

        Claim claim = recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_1", 0)));

        assertEquals(1, claim.due().size());
        assertEquals(List.of(), claim.notDue(), "the copy does not free the slot of the attempt it duplicates");
    }

    @Test
    void theStartsOfAClaimAreRecordedTogetherAndAnsweredPerAttempt() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/1", "POST", 0));
        stored.put(new Message("msg_2", "http://127.0.0.1:9/2", "POST", 0));
        stored.refuseStartOf = "msg_2";

        Claim claim = recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_2", 0)));
        var started = recorder.start(claim.due());
        stored.commits.countDown();

        assertEquals(true, started.get(0).get(5, TimeUnit.SECONDS));
        assertEquals(false, started.get(1).get(5, TimeUnit.SECONDS), "cancelled since it was found due");
        assertEquals(1, stored.transactions.get(), "one transaction for both starts");
        assertTrue(due(ticket("msg_2", 0)).isPresent(), "refused start: claim released, the row still waits");
    }

    @Test
    void aStartThatCannotBeRecordedFailsAloneAndReleasesItsClaim() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/1", "POST", 0));
        stored.put(new Message("msg_2", "http://127.0.0.1:9/2", "POST", 0));
        stored.put(new Message("msg_3", "http://127.0.0.1:9/3", "POST", 0));
        stored.failStartOf = "msg_2";

        Claim claim = recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_2", 0), ticket("msg_3", 0)));
        var started = recorder.start(claim.due());
        stored.commits.countDown();

        assertEquals(true, started.get(0).get(5, TimeUnit.SECONDS));
        var failed = assertThrows(ExecutionException.class, () -> started.get(1).get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().contains("msg_2"), failed.getCause().getMessage());
        assertEquals(true, started.get(2).get(5, TimeUnit.SECONDS));
        assertEquals(Set.of("msg_1", "msg_3"), stored.started, "the others were recorded");
        assertTrue(due(ticket("msg_2", 0)).isPresent(), "claim released, the row still waits");
    }

    @Test
    void aMessageThatWaitsForAnotherAttemptOrNoneIsNotDue() {
        Message retried = new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0);
        retried.retryAt(ANSWER, 10, 5);
        stored.put(retried);
        Message delivered = new Message("msg_2", "http://127.0.0.1:9/x", "POST", 0);
        delivered.delivered(ANSWER, 5);
        stored.put(delivered);

        assertTrue(due(ticket("msg_1", 0)).isEmpty(), "a stale ticket of the first attempt");
        assertTrue(due(ticket("msg_1", 1)).isPresent(), "the retry's ticket");
        assertTrue(due(ticket("msg_2", 0)).isEmpty(), "delivered already");
    }

    @Test
    void aTicketWhoseRowIsNotVisibleIsUnseenAndTheOthersAreClaimed() {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));

        Claim claim = recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_9", 0)));

        assertEquals(List.of("msg_1"), claim.due().stream().map(attempt -> attempt.ticket().messageId()).toList());
        assertEquals(List.of(ticket("msg_9", 0)), claim.unseen());
        assertEquals(List.of(), claim.notDue());
        assertEquals(List.of("msg_1", "msg_9"), reads.get(0));
        assertTrue(reads.size() > 2, "looked for again: " + reads.size() + " reads");
        assertTrue(reads.subList(1, reads.size()).stream().allMatch(List.of("msg_9")::equals),
                "only the unseen row is read again");
        stored.put(new Message("msg_9", "http://127.0.0.1:9/x", "POST", 0));
        assertTrue(due(ticket("msg_9", 0)).isPresent(), "the unseen ticket was not left claimed");
    }

    @Test
    void aRowThatAppearsWhileItIsLookedForAgainIsDue() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));
        Thread late = new Thread(() -> {
            awaitReads(2);
            stored.put(new Message("msg_2", "http://127.0.0.1:9/y", "POST", 0));
        });
        late.start();

        Claim claim = recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_2", 0)));
        late.join();

        assertEquals(2, claim.due().size());
        assertEquals(List.of(), claim.unseen());
    }

    private void awaitReads(int count) {
        while (reads.size() < count) {
            Thread.onSpinWait();
        }
    }

    /** The attempt of a claim of one ticket, if due. */
    private Optional<Attempt> due(DeliveryTicket ticket) {
        return recorder.claim(List.of(ticket)).due().stream().findFirst();
    }

    private static DeliveryTicket ticket(String messageId, int retried) {
        return new DeliveryTicket(messageId, "", FlowConfig.unlimited(), 1_000, retried);
    }

    /** Messages in memory; a start is recorded once {@link #commits} opens, and its message then no longer waits. */
    private static final class RecordedAttempts extends Attempts {

        final Map<String, Message> messages = new ConcurrentHashMap<>();
        final Set<String> started = ConcurrentHashMap.newKeySet();
        final CountDownLatch commits = new CountDownLatch(1);
        final AtomicInteger transactions = new AtomicInteger();
        /** the messages whose outcomes were written with their starts, and those written after their starts */
        final List<String> endedWithStart = new CopyOnWriteArrayList<>();
        final List<String> endedAfterStart = new CopyOnWriteArrayList<>();
        volatile String refuseStartOf;
        /** a start whose transaction always fails */
        volatile String failStartOf;

        void put(Message message) {
            messages.put(message.getId(), message);
        }

        @Override
        public List<Boolean> record(List<AttemptStep> steps) {
            try {
                commits.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            steps.stream().filter(AttemptStep.Start.class::isInstance)
                    .forEach(step -> ((AttemptStep.Start) step).early().seal()); // as the start is being written
            if (steps.stream().anyMatch(step -> step instanceof AttemptStep.Start start
                    && start.ticket().messageId().equals(failStartOf))) {
                throw new IllegalStateException("cannot record the start of " + failStartOf);
            }
            transactions.incrementAndGet();
            return steps.stream().map(step -> {
                if (step instanceof AttemptStep.Start start) {
                    boolean recorded = !start.ticket().messageId().equals(refuseStartOf);
                    if (start.early().taken().isPresent() && recorded) {
                        endedWithStart.add(start.ticket().messageId());
                    }
                    if (recorded) {
                        started.add(start.ticket().messageId());
                        messages.put(start.ticket().messageId(), inFlight(start.message()));
                    }
                    return recorded;
                }
                endedAfterStart.add(((AttemptStep.End) step).outcome().ticket().messageId());
                return true;
            }).toList();
        }

        private static Message inFlight(Message waiting) {
            Message copy = new Message(waiting.getId(), waiting.getDestination(), waiting.getMethod(), 0);
            copy.attemptStarted(1);
            return copy;
        }
    }
}

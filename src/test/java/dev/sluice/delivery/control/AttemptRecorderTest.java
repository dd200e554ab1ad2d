package dev.sluice.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.delivery.entity.Attempt;
import dev.sluice.delivery.entity.AttemptStep;
import dev.sluice.delivery.entity.Claim;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.StoredMessage;
import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.messages.entity.Message;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AttemptRecorderTest {

    private static final Message.Response ANSWER = new Message.Response(500, "{}", new byte[0], null);

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
    void aSecondCopyOfATicketIsRefusedUntilTheFirstStartIsRecorded() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));
        Attempt first = due(ticket("msg_1", 0)).orElseThrow();
        var started = recorder.start(List.of(first));

        assertTrue(due(ticket("msg_1", 0)).isEmpty(), "claimed by the first copy");

        stored.commits.countDown();
        assertEquals(List.of(true), started.get(5, TimeUnit.SECONDS));
        assertTrue(stored.started.contains("msg_1"));
        assertTrue(due(ticket("msg_1", 0)).isEmpty(), "the row no longer waits");
    }

    @Test
    void twoCopiesOfATicketInOneClaimMakeOneAttempt() {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));

        Claim claim = recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_1", 0)));

        assertEquals(1, claim.due().size());
        assertEquals(List.of(ticket("msg_1", 0)), claim.notDue());
    }

    @Test
    void theStartsOfAClaimAreRecordedTogetherAndAnsweredPerAttempt() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/1", "POST", 0));
        stored.put(new Message("msg_2", "http://127.0.0.1:9/2", "POST", 0));
        stored.refuseStartOf = "msg_2";
        stored.commits.countDown();

        Claim claim = recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_2", 0)));

        assertEquals(List.of(true, false), recorder.start(claim.due()).get(5, TimeUnit.SECONDS));
        assertEquals(1, stored.transactions.get(), "one transaction for both starts");
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
    void ticketsOfARowThatNeverAppearsGoBackToTheBrokerWithTheirWholeClaim() {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));

        var refused = assertThrows(IllegalStateException.class,
                () -> recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_9", 0))));

        assertTrue(refused.getMessage().contains("not visible"));
        assertEquals(List.of("msg_1", "msg_9"), reads.get(0));
        assertEquals(List.of("msg_9"), reads.get(1), "only the unseen row is read again");
        stored.put(new Message("msg_9", "http://127.0.0.1:9/x", "POST", 0));
        assertEquals(2, recorder.claim(List.of(ticket("msg_1", 0), ticket("msg_9", 0))).due().size(),
                "the failed claim was released");
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
        volatile String refuseStartOf;

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
            transactions.incrementAndGet();
            return steps.stream().map(step -> {
                if (step instanceof AttemptStep.Start start
                        && !start.ticket().messageId().equals(refuseStartOf)) {
                    started.add(start.ticket().messageId());
                    messages.put(start.ticket().messageId(), noLongerWaiting(start.message()));
                    return true;
                }
                return !(step instanceof AttemptStep.Start);
            }).toList();
        }

        private static Message noLongerWaiting(Message waiting) {
            Message copy = new Message(waiting.getId(), waiting.getDestination(), waiting.getMethod(), 0);
            copy.delivered(ANSWER, 1);
            return copy;
        }
    }

    private static final class PlainThreads implements ManagedThreadFactory {

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            throw new UnsupportedOperationException();
        }
    }
}

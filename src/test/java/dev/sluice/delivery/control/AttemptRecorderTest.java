package dev.sluice.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.delivery.entity.Attempt;
import dev.sluice.delivery.entity.AttemptStep;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.StoredMessage;
import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.messages.entity.Message;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AttemptRecorderTest {

    private static final Message.Response ANSWER = new Message.Response(500, "{}", new byte[0], null);

    private final RecordedAttempts stored = new RecordedAttempts();
    private final AttemptRecorder recorder = new AttemptRecorder();

    @BeforeEach
    void startRecorder() {
        recorder.attempts = stored;
        recorder.messages = new StoredMessages() {
            @Override
            public Optional<StoredMessage> find(String messageId) {
                return Optional.ofNullable(stored.messages.get(messageId))
                        .map(message -> new StoredMessage(message, new byte[0]));
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

        Attempt attempt = recorder.claim(ticket("msg_1", 0)).orElseThrow();

        assertEquals("http://127.0.0.1:9/x", attempt.outgoing().url());
        assertEquals("msg_1", attempt.message().getId());
    }

    @Test
    void aSecondCopyOfATicketIsRefusedUntilTheFirstStartIsRecorded() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));
        Attempt first = recorder.claim(ticket("msg_1", 0)).orElseThrow();
        var started = recorder.start(first);

        assertTrue(recorder.claim(ticket("msg_1", 0)).isEmpty(), "claimed by the first copy");

        stored.commits.countDown();
        assertTrue(started.get(5, TimeUnit.SECONDS));
        assertTrue(stored.started.contains("msg_1"));
        assertTrue(recorder.claim(ticket("msg_1", 0)).isEmpty(), "the row no longer waits");
    }

    @Test
    void aStartNotRecordedReleasesTheClaim() throws Exception {
        stored.put(new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0));
        stored.refuseStarts = true;
        stored.commits.countDown();

        assertFalse(recorder.start(recorder.claim(ticket("msg_1", 0)).orElseThrow()).get(5, TimeUnit.SECONDS));

        assertTrue(recorder.claim(ticket("msg_1", 0)).isPresent(), "claim released, the row still waits");
    }

    @Test
    void aMessageThatWaitsForAnotherAttemptOrNoneIsNotDue() {
        Message retried = new Message("msg_1", "http://127.0.0.1:9/x", "POST", 0);
        retried.retryAt(ANSWER, 10, 5);
        stored.put(retried);
        Message delivered = new Message("msg_2", "http://127.0.0.1:9/x", "POST", 0);
        delivered.delivered(ANSWER, 5);
        stored.put(delivered);

        assertTrue(recorder.claim(ticket("msg_1", 0)).isEmpty(), "a stale ticket of the first attempt");
        assertTrue(recorder.claim(ticket("msg_1", 1)).isPresent(), "the retry's ticket");
        assertTrue(recorder.claim(ticket("msg_2", 0)).isEmpty(), "delivered already");
    }

    @Test
    void aTicketWhoseRowNeverAppearsGoesBackToTheBroker() {
        var refused = assertThrows(IllegalStateException.class, () -> recorder.claim(ticket("msg_9", 0)));

        assertTrue(refused.getMessage().contains("not visible"));
        stored.put(new Message("msg_9", "http://127.0.0.1:9/x", "POST", 0));
        assertTrue(recorder.claim(ticket("msg_9", 0)).isPresent(), "the failed claim was released");
    }

    private static DeliveryTicket ticket(String messageId, int retried) {
        return new DeliveryTicket(messageId, "", FlowConfig.unlimited(), 1_000, retried);
    }

    /** Messages in memory; a start is recorded once {@link #commits} opens, and its message then no longer waits. */
    private static final class RecordedAttempts extends Attempts {

        final Map<String, Message> messages = new ConcurrentHashMap<>();
        final Set<String> started = ConcurrentHashMap.newKeySet();
        final CountDownLatch commits = new CountDownLatch(1);
        volatile boolean refuseStarts;

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
            return steps.stream().map(step -> {
                if (step instanceof AttemptStep.Start start && !refuseStarts) {
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

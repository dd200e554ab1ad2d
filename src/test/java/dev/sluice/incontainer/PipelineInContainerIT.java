package dev.sluice.incontainer;

import static org.eclipse.microprofile.health.HealthCheckResponse.Status.UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.blackbox.Sink;
import dev.sluice.blackbox.Sink.Answer;
import dev.sluice.blackbox.Sink.Received;
import dev.sluice.delivery.control.AttemptRecorder;
import dev.sluice.delivery.control.Attempts;
import dev.sluice.delivery.entity.Attempt;
import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.AttemptStep;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.TicketBatch;
import dev.sluice.dlq.control.DeadLetters;
import dev.sluice.events.control.EventFilter;
import dev.sluice.events.control.EventLog;
import dev.sluice.events.entity.MessageEvent;
import dev.sluice.flowcontrol.control.BlockedBy;
import dev.sluice.flowcontrol.control.Gatekeeper;
import dev.sluice.flowcontrol.control.KeySnapshot;
import dev.sluice.flowcontrol.control.Waitlist;
import dev.sluice.messages.control.Messages;
import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageState;
import dev.sluice.platform.boundary.PipelineReadiness;
import dev.sluice.publish.control.DraftReader;
import dev.sluice.publish.control.Publisher;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.publish.entity.RequestHeaders;
import dev.sluice.flowcontrol.entity.Queues;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.io.File;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The publish -> holding queue -> gatekeeper -> delivery pipeline inside a real Payara Micro with the Artemis
 * resource adapter, the embedded broker and the H2 database: the built WAR plus this class, one server boot for
 * all methods. Destinations are a recording HTTP sink on 127.0.0.1 inside the server JVM. The server runs with
 * {@code sluice.delivery.time-scale=0.001} (see {@link PayaraMicroRun}), so retry delays are milliseconds.
 */
@ExtendWith(ArquillianExtension.class)
class PipelineInContainerIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("sluice.war")))
                .addClasses(PipelineInContainerIT.class, Sink.class);
    }

    @Inject
    Publisher publisher;

    @Inject
    DraftReader drafts;

    @Inject
    Messages messages;

    @Inject
    DeadLetters deadLetters;

    @Inject
    Gatekeeper gatekeeper;

    @Inject
    AttemptRecorder recorder;

    @Inject
    Attempts attempts;

    @Inject
    EventLog eventLog;

    @Inject
    @Readiness
    PipelineReadiness readiness;

    @Resource
    UserTransaction transaction;

    private Sink sink;
    /** Requests to /hold/... wait for this at the sink. */
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startSink() throws Exception {
        sink = new Sink().answering((request, attempt) -> {
            String path = request.uri();
            if (path.startsWith("/fail/")) {
                return Answer.status(500);
            }
            if (path.startsWith("/hold/")) {
                awaitRelease();
            }
            if (path.startsWith("/slow/")) {
                return Answer.slow(Duration.ofMillis(100));
            }
            if (path.startsWith("/tx/")) {
                return new Answer(200, Map.of("X-Answered", "tx"), Duration.ZERO);
            }
            return Answer.ok();
        });
        await("gatekeeper ready", gatekeeper::isReady, ready -> ready);
    }

    private void awaitRelease() {
        try {
            release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stopSink() {
        release.countDown();
        sink.close();
    }

    @Test
    void readinessAsksTheApiOnTheServersOwnPort() throws Exception {
        HealthCheckResponse ready = await("readiness", readiness::call, response -> response.getStatus() == UP);
        assertEquals(true, ready.getData().orElseThrow().get("api"));
    }

    @Test
    void publishStoresRowAndBrokerMessageInOneTransaction() throws Exception {
        String key = "tx-" + UUID.randomUUID();
        Map<String, String> delayed = Map.of("Upstash-Delay", "2s",
                "Upstash-Flow-Control-Key", key, "Upstash-Flow-Control-Value", "parallelism=5");

        transaction.begin();
        Message rolledBack;
        try {
            rolledBack = publish("/tx/rolled-back", delayed, "never").get(0);
        } finally {
            transaction.rollback();
        }
        assertTrue(messages.find(rolledBack.getId()).isEmpty(), "a rolled-back publish leaves no row");

        long before = System.currentTimeMillis();
        Message committed = publish("/tx/committed", delayed, "hello").get(0);

        Message stored = messages.find(committed.getId()).orElseThrow();
        assertEquals(MessageState.CREATED, stored.getState());
        assertEquals(sink.url("/tx/committed"), stored.getDestination());
        KeySnapshot waiting = gatekeeper.inspect(engine -> engine.snapshot(key)).orElseThrow();
        assertEquals(1, waiting.scheduledCount(), "only the committed message reached the gatekeeper: " + waiting);
        assertEquals(BlockedBy.NOT_BEFORE, waiting.blockedBy());

        Received delivered = requests(r -> r.uri().startsWith("/tx/"), 1).get(0);
        assertEquals("/tx/committed", delivered.uri());
        assertEquals(committed.getId(), delivered.header("Upstash-Message-Id"));
        assertEquals("hello", delivered.bodyText());
        assertTrue(delivered.arrivedEpochMillis() >= before + 2000, "Upstash-Delay held the message back");

        Message done = awaitState(committed.getId(), MessageState.DELIVERED);
        assertEquals(200, done.getResponseStatus());
        Map<String, List<String>> answered = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        answered.putAll(HeaderMap.fromJson(done.getResponseHeaders()));
        assertEquals(List.of("tx"), answered.get("X-Answered"), "the response is recorded with the delivery");
        await("the delivery slot is released",
                () -> gatekeeper.inspect(engine -> engine.global()).parallelismCount(), count -> count == 0);
        // the rolled-back message was due before the committed one in the same FIFO holding queue
        assertTrue(sink.received(r -> r.uri().equals("/tx/rolled-back")).isEmpty(),
                "the rolled-back message must not reach the broker");
    }

    @Test
    void aMessageCancelledWhileItsRequestIsInFlightStaysCancelledThoughTheDestinationAccepts() throws Exception {
        String group = "cancel-in-flight-" + UUID.randomUUID();
        Message held = publish("/hold/" + group + "/held", Map.of(), "x").get(0);
        requests(r -> r.uri().endsWith(group + "/held"), 1);
        awaitState(held.getId(), MessageState.ACTIVE);
        assertTrue(messages.cancel(held.getId()), "a message in flight can be cancelled");

        release.countDown();
        await("the held request is answered",
                () -> gatekeeper.inspect(engine -> engine.global()).parallelismCount(), count -> count == 0);
        // outcomes are recorded in the order their requests ended: once this one's is in, so is the held one's
        Message marker = publish("/" + group + "/marker", Map.of(), "y").get(0);
        awaitState(marker.getId(), MessageState.DELIVERED);
        Message cancelled = messages.find(held.getId()).orElseThrow();
        assertEquals(MessageState.CANCELLED, cancelled.getState());
        assertNull(cancelled.getResponseStatus(), "the 200 that came back after the cancel is not recorded");
    }

    @Test
    void messagesForAHoldingQueueDeletedBehindSluicesBackAreStillDelivered() throws Exception {
        String key = "vanish-" + UUID.randomUUID();
        Map<String, String> headers = Map.of("Upstash-Flow-Control-Key", key,
                "Upstash-Flow-Control-Value", "parallelism=5");
        Message first = publish("/vanish/" + key + "/first", headers, "1").get(0);
        awaitState(first.getId(), MessageState.DELIVERED);

        // as an operator in the broker console, or the broker deleting an idle key's queue: Sluice sends to the
        // destination it knows, and the broker creates the queue again
        destroyQueue(Queues.holding(key));
        Message now = publish("/vanish/" + key + "/now", headers, "2").get(0);
        Map<String, String> delayed = new LinkedHashMap<>(headers);
        delayed.put("Upstash-Delay", "1s");
        Message later = publish("/vanish/" + key + "/later", delayed, "3").get(0);

        requests(r -> r.uri().startsWith("/vanish/" + key + "/"), 3);
        awaitState(now.getId(), MessageState.DELIVERED);
        awaitState(later.getId(), MessageState.DELIVERED);
        assertEquals(0L, gatekeeper.inspect(engine -> engine.snapshot(key)).map(KeySnapshot::waitListSize).orElse(0L),
                "nothing is left waiting for the key");
    }

    @Test
    void aTicketWhoseRowIsNotVisibleYetDoesNotHoldUpTheOthersOfItsBatch() throws Exception {
        String key = "unseen-" + UUID.randomUUID();
        // held back in their holding queue for an hour: only the tickets sent below deliver them
        Map<String, String> headers = Map.of("Upstash-Delay", "1h", "Upstash-Flow-Control-Key", key,
                "Upstash-Flow-Control-Value", "parallelism=5");
        Message visible = publish("/unseen/" + key + "/visible", headers, "v").get(0);

        transaction.begin();
        Message hidden;
        try {
            hidden = publish("/unseen/" + key + "/hidden", headers, "h").get(0);
            sendToDeliveryQueue(new TicketBatch(List.of(DeliveryTicket.of(hidden), DeliveryTicket.of(visible))));

            requests(r -> r.uri().endsWith(key + "/visible"), 1);
            assertTrue(sink.received(r -> r.uri().endsWith(key + "/hidden")).isEmpty(), "its row is not committed");
        } finally {
            transaction.commit();
        }

        // its ticket went back to the delivery queue on its own, and is delivered once the row is visible
        requests(r -> r.uri().endsWith(key + "/hidden"), 1);
        awaitState(visible.getId(), MessageState.DELIVERED);
        awaitState(hidden.getId(), MessageState.DELIVERED);
        assertEquals(1, sink.received(r -> r.uri().endsWith(key + "/visible")).size(), "delivered once");
    }

    @Test
    void aTicketWhoseStartCouldNotBeRecordedIsGrantedAndCountedAgainFromItsHoldingQueue() throws Exception {
        String key = "requeued-" + UUID.randomUUID();
        // held back in its holding queue for an hour: only the requeued ticket delivers it
        Message message = publish("/requeued/" + key, Map.of("Upstash-Delay", "1h", "Upstash-Flow-Control-Key", key,
                "Upstash-Flow-Control-Value", "rate=10, period=1m"), "r").get(0);

        recorder.sendBack(List.of(new Waitlist.Admission(DeliveryTicket.of(message), System.currentTimeMillis())),
                List.of(), 0);

        requests(r -> r.uri().endsWith("/requeued/" + key), 1);
        awaitState(message.getId(), MessageState.DELIVERED);
        KeySnapshot snapshot = gatekeeper.inspect(engine -> engine.snapshot(key)).orElseThrow();
        assertEquals(1, snapshot.rateCount(), "its repeat counts in the key's window: " + snapshot);
    }

    @Test
    void aMessageOfTheDeliveryQueueThatCannotBeReadIsMovedAsideAndDeliveriesGoOn() throws Exception {
        String marker = "unreadable-" + UUID.randomUUID();
        try (ServerLocator locator = brokerLocator();
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = brokerSession(factory);
             ClientProducer producer = session.createProducer(Queues.DELIVERY)) {
            ClientMessage corrupt = session.createMessage(ClientMessage.BYTES_TYPE, true);
            corrupt.getBodyBuffer().writeBytes(new byte[] {(byte) 0x7f, 0, 0, 0, 1});
            corrupt.putStringProperty("marker", marker);
            producer.send(corrupt);
        }

        ClientMessage moved = await("the corrupt message among the unreadable ones",
                () -> unreadable(marker), found -> found != null);
        assertEquals(Queues.DELIVERY, moved.getStringProperty(Queues.UNREADABLE_FROM));
        assertTrue(moved.getStringProperty(Queues.UNREADABLE_BECAUSE).contains("format"),
                moved.getStringProperty(Queues.UNREADABLE_BECAUSE));
        assertEquals(Queues.DELIVERY, moved.getStringProperty(ClientMessage.HDR_ORIGINAL_ADDRESS),
                "the broker's retry operation puts it back");
        Message after = publish("/unreadable/" + marker, Map.of(), "next").get(0);
        awaitState(after.getId(), MessageState.DELIVERED);
    }

    /** The message of the unreadable ones with this marker property, or null. */
    private static ClientMessage unreadable(String marker) {
        try (ServerLocator locator = brokerLocator();
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = brokerSession(factory);
             ClientConsumer browser = session.createConsumer(Queues.UNREADABLE, true)) {
            session.start();
            ClientMessage message;
            while ((message = browser.receiveImmediate()) != null) {
                if (marker.equals(message.getStringProperty("marker"))) {
                    return message;
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As the gatekeeper does, outside any transaction of the test. */
    private static void sendToDeliveryQueue(TicketBatch batch) throws Exception {
        try (ServerLocator locator = brokerLocator();
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = brokerSession(factory)) {
            ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
            message.putIntProperty(TicketBatch.COUNT, batch.tickets().size());
            message.getBodyBuffer().writeBytes(batch.encode());
            try (ClientProducer producer = session.createProducer(Queues.DELIVERY)) {
                producer.send(message);
            }
        }
    }

    private static ServerLocator brokerLocator() throws Exception {
        return ActiveMQClient.createServerLocator("tcp://127.0.0.1:"
                + ConfigProvider.getConfig().getValue("sluice.broker.port", Integer.class));
    }

    private static ClientSession brokerSession(ClientSessionFactory factory) throws Exception {
        Config config = ConfigProvider.getConfig();
        return factory.createSession(config.getValue("sluice.broker.user", String.class),
                config.getValue("sluice.broker.password", String.class), false, true, true, false, 1);
    }

    private static void destroyQueue(String name) throws Exception {
        try (ServerLocator locator = brokerLocator();
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = brokerSession(factory)) {
            ClientRequestor requestor = new ClientRequestor(session, "activemq.management");
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, "destroyQueue", name, true);
            session.start();
            ClientMessage reply = requestor.request(request, WAIT.toMillis());
            assertNotNull(reply, "the broker answers management requests");
            assertTrue(ManagementHelper.hasOperationSucceeded(reply), "the broker destroyed " + name);
        }
    }

    @Test
    void failingDestinationIsRetriedThenDeadLettered() throws Exception {
        String path = "/fail/" + UUID.randomUUID();
        // 1000 s between attempts, 1 s at time scale 0.001: long enough to see the RETRY state
        Message message = publish(path, Map.of("Upstash-Retries", "2", "Upstash-Retry-Delay", "1000000"),
                "doomed").get(0);

        requests(r -> r.uri().equals(path), 1);
        Message retrying = awaitState(message.getId(), MessageState.RETRY);
        assertEquals(1, retrying.getRetried());
        assertEquals(500, retrying.getResponseStatus());

        Message failed = awaitState(message.getId(), MessageState.FAILED);
        assertEquals(2, failed.getRetried());
        assertEquals(500, failed.getResponseStatus());
        assertNotNull(failed.getDlqId(), "a failed message is in the DLQ");
        assertEquals(message.getId(), deadLetters.find(failed.getDlqId()).orElseThrow().getId());

        List<Received> attempts = sink.received(r -> r.uri().equals(path));
        assertEquals(3, attempts.size(), "1 attempt + 2 retries");
        assertEquals(List.of("0", "1", "2"), attempts.stream().map(r -> r.header("Upstash-Retried")).toList());
        for (int i = 1; i < attempts.size(); i++) {
            long gap = attempts.get(i).arrivedEpochMillis() - attempts.get(i - 1).arrivedEpochMillis();
            assertTrue(gap >= 950, "retry " + i + " waited the scaled retry delay, but came after " + gap + " ms");
        }
    }

    @Test
    void deliveriesThatCameInBeforeTheirStartsWereWrittenAreRecordedWithThem() {
        String group = "early-" + UUID.randomUUID();
        List<Message> waiting = new ArrayList<>();
        for (String name : List.of("delivered", "cancelled", "started")) {
            waiting.add(publish("/" + group + "/" + name, Map.of("Upstash-Delay", "1h"), name).get(0));
        }
        assertTrue(messages.cancel(waiting.get(1).getId()));
        List<Attempt> started = waiting.stream()
                .map(message -> new Attempt(DeliveryTicket.of(message), message, null)).toList();
        HttpHeaders none = HttpHeaders.of(Map.of(), (name, value) -> true);
        offer(started.get(0), AttemptResult.response(200, none, "fine".getBytes(StandardCharsets.UTF_8)));
        offer(started.get(1), AttemptResult.response(200, none, new byte[0]));

        List<Boolean> recorded = attempts.record(started.stream().map(Attempt::start).map(AttemptStep.class::cast)
                .toList());

        assertEquals(List.of(true, false, true), recorded, "the cancelled message's start is refused");
        Message delivered = messages.find(waiting.get(0).getId()).orElseThrow();
        assertEquals(MessageState.DELIVERED, delivered.getState());
        assertEquals(200, delivered.getResponseStatus());
        assertEquals(List.of("CREATED", "ACTIVE", "DELIVERED"), states(delivered.getId()));
        Message cancelled = messages.find(waiting.get(1).getId()).orElseThrow();
        assertEquals(MessageState.CANCELLED, cancelled.getState());
        assertNull(cancelled.getResponseStatus());
        assertEquals(List.of("CREATED", "CANCELLED"), states(cancelled.getId()));
        assertEquals(MessageState.ACTIVE, messages.find(waiting.get(2).getId()).orElseThrow().getState(),
                "a start written alone in the same transaction");
        assertFalse(started.get(2).early().offer(started.get(2).outcome(AttemptResult.response(200, none,
                new byte[0]))), "sealed as its start was written: a delivery now is recorded after it");
        HttpHeaders nonRetryable = HttpHeaders.of(Map.of("Upstash-NonRetryable-Error", List.of("true")),
                (name, value) -> true);
        attempts.record(List.of(started.get(2).end(AttemptResult.response(489, nonRetryable, new byte[0]))));
        assertEquals(MessageState.FAILED, messages.find(waiting.get(2).getId()).orElseThrow().getState());
        assertEquals(List.of("CREATED", "ACTIVE", "ERROR", "FAILED"), states(waiting.get(2).getId()));
    }

    private static void offer(Attempt attempt, AttemptResult result) {
        assertTrue(attempt.early().offer(attempt.outcome(result)));
    }

    /** The states the message's events recorded, oldest first. */
    private List<String> states(String messageId) {
        List<String> newestFirst = new ArrayList<>(eventLog.page(new EventFilter(List.of(), List.of(messageId),
                List.of(), List.of(), List.of(), null, null, List.of(), List.of(), List.of()), 0, 20).stream()
                .map(MessageEvent::getState).toList());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Test
    void cancelledDelayedMessageIsNeverDelivered() throws Exception {
        String group = UUID.randomUUID().toString();
        Message cancelled = publish("/cancel/" + group + "/cancelled", Map.of("Upstash-Delay", "2s"), "x").get(0);

        assertTrue(messages.cancel(cancelled.getId()));
        assertEquals(MessageState.CANCELLED, messages.find(cancelled.getId()).orElseThrow().getState());
        assertFalse(messages.cancel(cancelled.getId()), "a cancelled message cannot be cancelled again");

        // published later with the same delay, so it leaves the holding queue after the cancelled one was due
        Message marker = publish("/cancel/" + group + "/marker", Map.of("Upstash-Delay", "2s"), "y").get(0);
        requests(r -> r.uri().endsWith("/marker"), 1);
        awaitState(marker.getId(), MessageState.DELIVERED);

        assertEquals(List.of("/cancel/" + group + "/marker"), sink.group(group).stream().map(Received::uri).toList());
        assertEquals(MessageState.CANCELLED, messages.find(cancelled.getId()).orElseThrow().getState());
    }

    @Test
    void parallelismOneHoldsBackTheKeyWhileOneDeliveryIsInFlight() throws Exception {
        String limited = "p1-" + UUID.randomUUID();
        String unlimited = "free-" + UUID.randomUUID();
        List<MessageDraft> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // the key's first delivery hangs at the sink until released; the rest take 100 ms each
            batch.add(draft((i == 0 ? "/hold/" : "/slow/") + limited + "/" + i, Map.of(
                    "Upstash-Flow-Control-Key", limited, "Upstash-Flow-Control-Value", "parallelism=1"),
                    Integer.toString(i)));
        }
        for (int i = 0; i < 5; i++) {
            batch.add(draft("/hold/" + unlimited + "/" + i, Map.of(), Integer.toString(i)));
        }
        List<Message> published = publisher.publish(batch);

        // all five unkeyed messages hang at the sink together: deliveries do overlap ...
        requests(r -> r.group().equals(unlimited), 5);
        assertEquals(5, sink.maxInFlight(unlimited), "unkeyed deliveries run in parallel");
        // ... but of the key only its first went, and the gatekeeper holds the other four back
        assertEquals(1, sink.group(limited).size(), "parallelism=1 sent more than one message of the key");
        KeySnapshot held = gatekeeper.inspect(engine -> engine.snapshot(limited)).orElseThrow();
        assertEquals(1, held.parallelismMax(), held.toString());
        assertEquals(1, held.parallelismCount(), held.toString());
        assertEquals(4, held.waitListSize(), held.toString());
        assertEquals(BlockedBy.PARALLELISM, held.blockedBy(), held.toString());

        release.countDown();
        List<Received> limitedRequests = requests(r -> r.group().equals(limited), 5);
        for (Message message : published) {
            awaitState(message.getId(), MessageState.DELIVERED);
        }
        assertEquals(1, sink.maxInFlight(limited), "parallelism=1: one request of the key at a time");
        assertEquals(List.of("0", "1", "2", "3", "4"), limitedRequests.stream().map(Received::bodyText).toList(),
                "one key is delivered in publish order");
    }

    // ---- helpers

    private List<Message> publish(String path, Map<String, String> headers, String body) {
        return publisher.publish(List.of(draft(path, headers, body)));
    }

    private MessageDraft draft(String path, Map<String, String> headers, String body) {
        Map<String, List<String>> request = new LinkedHashMap<>();
        request.put("Content-Type", List.of("text/plain"));
        headers.forEach((name, value) -> request.put(name, List.of(value)));
        return drafts.read(sink.url(path), new RequestHeaders(request), body.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis(), "127.0.0.1");
    }

    /** Waits until the sink received at least count matching requests; fails if it did not within WAIT. */
    private List<Received> requests(Predicate<Received> filter, int count) throws InterruptedException {
        List<Received> matching = sink.await(filter, count, WAIT);
        if (matching.size() < count) {
            throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + count
                    + " requests at the sink; got " + matching.size() + " of them, all received: "
                    + sink.received().stream().map(Received::uri).toList());
        }
        return matching;
    }

    private Message awaitState(String id, MessageState state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Message message = messages.find(id).orElseThrow();
        while (message.getState() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + id + " to be "
                        + state + "; it is " + message.getState() + " (retried " + message.getRetried()
                        + ", last status " + message.getResponseStatus() + ", last error " + message.getLastError()
                        + ")");
            }
            Thread.sleep(10);
            message = messages.find(id).orElseThrow();
        }
        return message;
    }

    private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what
                        + "; last seen: " + value);
            }
            Thread.sleep(10);
            value = probe.get();
        }
        return value;
    }
}

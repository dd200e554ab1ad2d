package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.Attempt;
import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.Claim;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.Outgoing;
import dev.sluice.flowcontrol.control.FlowEvents;
import dev.sluice.flowcontrol.control.Waitlist;
import dev.sluice.flowcontrol.entity.Queues;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.platform.control.ApplicationStart;
import dev.sluice.platform.control.Instruments;
import dev.sluice.retention.control.ConfiguredRetention;
import dev.sluice.signing.control.KeysInUse;
import dev.sluice.signing.control.Signer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes the HTTP call of one attempt. The call is asynchronous on one shared {@link HttpClient}; when it ends the
 * gatekeeper hears that the slot is free and the outcome is recorded. Every attempt is signed anew
 * ({@code Upstash-Signature}) with the current signing key, over the bytes it actually sends.
 */
@ApplicationScoped
public class Courier {

    private static final long STARTUP_WAIT_MILLIS = 120_000;
    /** how long a worker waits for the requests of attempts whose starts could not be recorded to be over */
    static final Duration UNRECORDED_REQUEST_WAIT = Duration.ofSeconds(1);
    /** returns of an unseen ticket to the delivery queue before it is given up on: about 1.1 s each */
    static final int UNSEEN_RETURNS = 550;
    /** how long an unseen ticket is looked for, about */
    static final Duration UNSEEN_WINDOW = Duration.ofMinutes(10);
    private static final int MIN_HTTP_THREADS = 2;
    private static final Logger LOG = Logger.getLogger(Courier.class.getName());
    /** headers HttpClient sets itself and refuses from callers */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    @Inject
    AttemptRecorder recorder;

    @Inject
    DeliveryQueue queue;

    @Inject
    FlowEvents events;

    @Inject
    Instruments instruments;

    @Inject
    ApplicationStart applicationStart;

    @Inject
    KeysInUse keys;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "sluice.delivery.http-threads", defaultValue = "4")
    int httpThreads;

    @Inject
    ConfiguredRetention retention;

    private ThreadPoolExecutor httpExecutor;
    private HttpClient http;

    /**
     * The client runs its exchanges' steps (writing, parsing, its internal futures, TLS handshake work) on a few
     * threads of its own that stay busy under load: its default, a cached pool, wakes an idle thread for every step,
     * and parks it again after (about a third of the client's CPU, itself a sixth of Sluice's at 1,800 deliveries/s).
     * At least two, so one TLS handshake does not stall every other delivery. (What {@link #send} does when the
     * response is in runs on the common pool: the client hands the future it returns over to it.) The threads are
     * all made here, with the container's context, not later by whichever thread first needs one.
     */
    @PostConstruct
    void init() {
        int count = Math.max(MIN_HTTP_THREADS, httpThreads);
        AtomicInteger created = new AtomicInteger();
        httpExecutor = new ThreadPoolExecutor(count, count, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = threads.newThread(task);
                    thread.setName("sluice-http-" + created.getAndIncrement());
                    return thread;
                });
        httpExecutor.prestartAllCoreThreads();
        http = HttpClient.newBuilder()
                .executor(httpExecutor)
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @PreDestroy
    void stop() {
        httpExecutor.shutdown();
    }

    /**
     * Makes the tickets' attempts that are due. Each request leaves as soon as its attempt is found due, while the
     * starts are recorded (together); this returns (and the broker's message of the tickets is acknowledged) only
     * once they are committed, so a crash before leaves the tickets to be delivered again. The tickets whose rows are
     * not visible go back to the delivery queue together, in a message of their own, keeping their slots; the
     * attempts whose starts could not be recorded are repeated through their holding queues
     * ({@link #repeatsOfUnrecorded}). Either way they are made (again, at least once) later, and the others of the
     * batch are done with.
     */
    public void deliver(List<DeliveryTicket> tickets, int returnsBefore) {
        awaitApplicationStart();
        // before the claim: keys not loaded yet fail the delivery (the broker sends the tickets again), not an attempt
        Signer signer = keys.signer();
        Claim claim = recorder.claim(tickets);
        claim.notDue().forEach(ticket -> events.attemptEnded(ticket.messageId()));
        List<CompletableFuture<Boolean>> started = recorder.start(claim.due());
        List<CompletableFuture<?>> over = new ArrayList<>();
        for (int i = 0; i < claim.due().size(); i++) {
            over.add(send(claim.due().get(i), signer, started.get(i)));
        }
        List<DeliveryTicket> unseen = stillAwaited(notPruned(claim.unseen()), returnsBefore);
        sendBack(repeatsOfUnrecorded(claim.due(), started, over), unseen, returnsBefore);
    }

    /** In one transaction: a failure sends none back, and the broker delivers the whole message again. */
    private void sendBack(List<Waitlist.Admission> repeats, List<DeliveryTicket> unseen, int returnsBefore) {
        if (repeats.isEmpty() && unseen.isEmpty()) {
            return;
        }
        String first = unseen.isEmpty() ? repeats.get(0).ticket().messageId() : unseen.get(0).messageId();
        LOG.warning(() -> unseen.size() + " delivery tickets go back to the delivery queue (their messages are not "
                + "visible in the database), " + repeats.size() + " to their holding queues (their starts could not "
                + "be recorded); the first of " + first);
        recorder.sendBack(repeats, unseen, returnsBefore);
    }

    /**
     * Waits for the starts to be recorded. The attempts whose starts could not be are repeated through their holding
     * queues, so that the gatekeeper grants and counts the repeats anew: each request may have gone out, and its
     * repeat must count against the key's limits like any other. A repeat must not be in flight with its request:
     * it is due a second from now if the request is over within {@link #UNRECORDED_REQUEST_WAIT}, else once the
     * request's lease is surely over (by then the gatekeeper has freed the request's slot in any case).
     */
    private List<Waitlist.Admission> repeatsOfUnrecorded(List<Attempt> attempts,
                                                         List<CompletableFuture<Boolean>> started,
                                                         List<CompletableFuture<?>> over) {
        List<Integer> unrecorded = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            try {
                started.get(i).join();
            } catch (CompletionException e) {
                LOG.log(Level.WARNING, "The start of " + attempts.get(i).ticket().messageId()
                        + " could not be recorded; the attempt is repeated through its holding queue", e.getCause());
                unrecorded.add(i);
            }
        }
        if (unrecorded.isEmpty()) {
            return List.of();
        }
        awaitAll(unrecorded.stream().map(over::get).toList(), UNRECORDED_REQUEST_WAIT);
        long now = System.currentTimeMillis();
        return unrecorded.stream().map(i -> {
            DeliveryTicket ticket = attempts.get(i).ticket();
            long due = now + (over.get(i).isDone() ? DeliveryQueue.RETURN_DELAY.toMillis() : ticket.leaseMillis());
            return new Waitlist.Admission(ticket, due);
        }).toList();
    }

    private static void awaitAll(List<CompletableFuture<?>> futures, Duration wait) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            // their repeats wait for their leases
        } catch (ExecutionException allOverOneFailed) {
            // all over: an exchange that failed went through its finish all the same
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The unseen tickets but those of messages made before retention began: their rows are gone for good, deleted
     * once they ended (a ticket of a message cancelled long ago can come out of a holding queue after a restart, when
     * the cancel is no longer known). Their slots are freed at once, with nothing set aside. A message made within
     * the unseen window is looked for all the same, whatever the retention: its row may just not be visible yet.
     */
    private List<DeliveryTicket> notPruned(List<DeliveryTicket> unseen) {
        if (unseen.isEmpty()) {
            return unseen;
        }
        long now = System.currentTimeMillis();
        OptionalLong retentionBegan = retention.policy().messagesMadeBefore(now);
        long unseenWindowBegan = now - UNSEEN_WINDOW.toMillis();
        List<DeliveryTicket> awaited = new ArrayList<>();
        for (DeliveryTicket ticket : unseen) {
            OptionalLong made = MessageId.timeOf(ticket.messageId());
            if (retentionBegan.isPresent() && made.isPresent()
                    && made.getAsLong() < Math.min(retentionBegan.getAsLong(), unseenWindowBegan)) {
                LOG.info(() -> "Message " + ticket.messageId() + " was deleted by retention; its ticket is dropped");
                events.attemptEnded(ticket.messageId());
            } else {
                awaited.add(ticket);
            }
        }
        return awaited;
    }

    /**
     * The unseen tickets to look for again; after {@link #UNSEEN_RETURNS} returns (about ten minutes) none: a row that
     * did not show up in that time is taken as never committed, and its tickets are set aside with the unreadable
     * messages (an operator can put them back), their slots freed.
     */
    private List<DeliveryTicket> stillAwaited(List<DeliveryTicket> unseen, int returnsBefore) {
        if (unseen.isEmpty() || returnsBefore < UNSEEN_RETURNS) {
            return unseen;
        }
        LOG.severe(() -> "The messages of " + unseen.size() + " delivery tickets (the first of "
                + unseen.get(0).messageId() + ") are still not in the database after " + returnsBefore + " returns; "
                + "their tickets are moved to " + Queues.UNREADABLE);
        queue.setAside(unseen, "no such message in the database after " + returnsBefore + " returns");
        unseen.forEach(ticket -> events.attemptEnded(ticket.messageId()));
        return List.of();
    }

    /**
     * Every attempt reaches {@link #finish}, also when its request cannot be made or sent.
     *
     * @return completes once the attempt is over and its slot freed
     */
    private CompletableFuture<?> send(Attempt attempt, Signer signer, CompletableFuture<Boolean> started) {
        DeliveryTicket ticket = attempt.ticket();
        Outgoing outgoing = attempt.outgoing();
        HttpRequest request;
        AtomicLong sentAt = new AtomicLong();
        try {
            request = request(outgoing, signer, () -> {
                sentAt.set(System.currentTimeMillis());
                events.sent(ticket.messageId(), sentAt.get());
            });
        } catch (RuntimeException e) {
            finish(attempt, AttemptResult.noResponse("invalid request: " + e.getMessage()), started);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            finish(attempt, AttemptResult.noResponse(describe(e)), started);
            return CompletableFuture.completedFuture(null);
        }
        return exchange.whenComplete((response, error) -> {
            try {
                if (sentAt.get() > 0) {
                    instruments.startDelay(sentAt.get() - outgoing.dueAt());
                }
            } finally {
                finish(attempt, result(response, error), started);
            }
        });
    }

    private static AttemptResult result(HttpResponse<byte[]> response, Throwable error) {
        return response != null
                ? AttemptResult.response(response.statusCode(), response.headers(), response.body())
                : AttemptResult.noResponse(describe(error));
    }

    /** Tickets granted before a restart reach the workers while the application is still starting. */
    private void awaitApplicationStart() {
        try {
            if (!applicationStart.await(STARTUP_WAIT_MILLIS)) {
                throw new IllegalStateException("the application did not start; the broker redelivers this ticket");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the application starts", e);
        }
    }

    /**
     * The slot is free as soon as the response is in (parallelism counts requests awaiting their response); the
     * outcome is recorded with others in a shared transaction; a delivery with the attempt's start, if that is not
     * written yet.
     */
    private void finish(Attempt attempt, AttemptResult result, CompletableFuture<Boolean> started) {
        String messageId = attempt.ticket().messageId();
        events.attemptEnded(messageId);
        recorder.ended(attempt, result, started).whenComplete((recorded, error) -> {
            if (error != null) {
                LOG.log(Level.SEVERE, "Could not record the attempt of " + messageId
                        + "; it is made again after a restart", error);
            }
        });
    }

    private static HttpRequest request(Outgoing outgoing, Signer signer, Runnable onSend) {
        byte[] body = sentBody(outgoing);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(outgoing.url()))
                .timeout(Duration.ofMillis(outgoing.timeoutMillis()))
                .method(outgoing.method(), new SendSignal(body.length > 0
                        ? HttpRequest.BodyPublishers.ofByteArray(body)
                        : HttpRequest.BodyPublishers.noBody(), onSend));
        outgoing.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request
                .setHeader("User-Agent", "Upstash-QStash")
                .setHeader("Upstash-Message-Id", outgoing.messageId())
                .setHeader("Upstash-Retried", Integer.toString(outgoing.retried()))
                .setHeader("Upstash-Signature", signer.sign(outgoing.url(), body, Instant.now()))
                .build();
    }

    /** The bytes the destination receives: none for GET and HEAD. */
    private static byte[] sentBody(Outgoing outgoing) {
        return Set.of("GET", "HEAD").contains(outgoing.method()) ? new byte[0] : outgoing.body();
    }

    private static String describe(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Test double of the broker side: per-key holding queues of messages (visible when due, FIFO by due time and
 * publication) and the gatekeeper loop that asks the engine which key may start.
 */
final class SimulatedBroker {

    record Message(String key, String id, FlowConfig config, long dueAt, long order) {
    }

    static final Duration LEASE = Duration.ofMinutes(10);

    final FlowController engine;
    final VirtualClock clock;
    private final Map<String, List<Message>> holding = new HashMap<>();
    private final Map<String, Message> inFlight = new LinkedHashMap<>();
    private final Set<String> hidden = new HashSet<>();
    private long order;

    SimulatedBroker(int globalParallelism) {
        this(new VirtualClock(), globalParallelism);
    }

    SimulatedBroker(VirtualClock clock, int globalParallelism) {
        this.clock = clock;
        this.engine = new FlowController(clock, globalParallelism);
    }

    String publish(String key, FlowConfig config) {
        return publish(key, config, Duration.ZERO);
    }

    String publish(String key, FlowConfig config, Duration delay) {
        String id = (key.isEmpty() ? "unkeyed" : key) + "-" + (++order);
        long dueAt = clock.millis() + delay.toMillis();
        holding.computeIfAbsent(key, k -> new ArrayList<>()).add(new Message(key, id, config, dueAt, order));
        engine.admit(key, id, config, dueAt);
        return id;
    }

    List<String> publish(int count, String key, FlowConfig config) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(publish(key, config));
        }
        return ids;
    }

    /** The next nextKey of this key finds its holding queue empty (the broker shows the message late). */
    void hideOnce(String key) {
        hidden.add(key);
    }

    /** Runs the gatekeeper loop until the engine offers nothing; returns the ids started, in order. */
    List<String> drain() {
        List<String> started = new ArrayList<>();
        for (int guard = 0; guard < 1_000_000; guard++) {
            Optional<String> key = engine.nextKey();
            if (key.isEmpty()) {
                return started;
            }
            Optional<Message> head = head(key.get());
            if (head.isEmpty() || hidden.remove(key.get())) {
                engine.nothingWaiting(key.get());
                continue;
            }
            Message message = head.get();
            holding.get(message.key()).remove(message);
            inFlight.put(message.id(), message);
            engine.started(message.key(), message.id(), message.config(), clock.millis() + LEASE.toMillis());
            engine.sent(message.id(), clock.millis());
            started.add(message.id());
        }
        throw new AssertionError("the engine kept offering keys");
    }

    List<String> startedKeys(List<String> ids) {
        return ids.stream().map(id -> id.substring(0, id.lastIndexOf('-'))).toList();
    }

    void end(String id) {
        inFlight.remove(id);
        engine.attemptEnded(id);
    }

    void endAll() {
        new ArrayList<>(inFlight.keySet()).forEach(this::end);
    }

    void cancel(String id) {
        Message message = find(id);
        holding.getOrDefault(message.key(), new ArrayList<>()).remove(message);
        engine.withdraw(message.key(), id, message.config());
    }

    int inFlight() {
        return inFlight.size();
    }

    private Message find(String id) {
        if (inFlight.containsKey(id)) {
            return inFlight.get(id);
        }
        return holding.values().stream().flatMap(List::stream).filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow();
    }

    private Optional<Message> head(String key) {
        long now = clock.millis();
        return holding.getOrDefault(key, List.of()).stream()
                .filter(message -> message.dueAt() <= now)
                .min(Comparator.comparingLong(Message::dueAt).thenComparingLong(Message::order));
    }
}

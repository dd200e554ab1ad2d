package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.flowcontrol.entity.Period;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;

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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random sequences of traffic, clock advances and management calls across several keys, against an independent
 * model of the broker (per-key FIFO holding queues), of the deliveries in flight and of the rate windows. The
 * invariants are checked after every step and before every start.
 */
class FlowControllerPropertyTest {

    static final List<String> KEYS = List.of("k0", "k1", "k2", FlowController.UNKEYED);
    static final long LEASE = 5_000;

    sealed interface Step permits Publish, Drain, Complete, LateEnd, Advance, Withdraw, Pin, Unpin, Pause, Resume,
            ResetRate, Hide, Global, Forget {
    }

    record Publish(int key, int config, long delay) implements Step {
    }

    record Drain() implements Step {
    }

    record Complete(int pick, boolean retry, long retryDelay) implements Step {
    }

    record LateEnd(int pick) implements Step {
    }

    record Advance(long millis) implements Step {
    }

    record Withdraw(int pick) implements Step {
    }

    record Pin(int key, Integer parallelism, Integer rate, Integer periodSeconds) implements Step {
    }

    record Unpin(int key, boolean parallelism, boolean rate) implements Step {
    }

    record Pause(int key) implements Step {
    }

    record Resume(int key) implements Step {
    }

    record ResetRate(int key) implements Step {
    }

    record Hide(int key) implements Step {
    }

    record Global(int max) implements Step {
    }

    /** the gatekeeper's occasional sweep of idle keys */
    record Forget(long idleMillis) implements Step {
    }

    @Property(tries = 600)
    void invariantsHoldAfterEveryStep(@ForAll("configs") List<FlowConfig> configs,
                                      @ForAll("steps") List<Step> steps,
                                      @ForAll @IntRange(min = 1, max = 6) int globalParallelism) {
        Simulation simulation = new Simulation(configs, globalParallelism);
        for (Step step : steps) {
            simulation.apply(step);
            simulation.checkCounts();
        }
        simulation.apply(new Drain());
        simulation.checkCounts();
    }

    @Property(tries = 200)
    void everythingIsDeliveredOnceTheTrafficStops(@ForAll("configs") List<FlowConfig> configs,
                                                  @ForAll("steps") List<Step> steps,
                                                  @ForAll @IntRange(min = 1, max = 6) int globalParallelism) {
        Simulation simulation = new Simulation(configs, globalParallelism);
        steps.forEach(simulation::apply);
        KEYS.forEach(key -> {
            if (!key.isEmpty()) {
                simulation.engine.resume(key);
                simulation.paused.remove(key);
            }
        });
        for (int round = 0; round < 10_000 && simulation.pending() > 0; round++) {
            simulation.apply(new Drain());
            simulation.apply(new Complete(0, false, 0));
            simulation.apply(new Advance(Math.max(0, simulation.engine.nextWakeUpMillis() - simulation.clock.millis())));
        }
        assertEquals(0, simulation.pending(), "messages left behind");
        assertEquals(0, simulation.engine.global().parallelismCount());
    }

    @Provide
    Arbitrary<List<FlowConfig>> configs() {
        Arbitrary<Integer> parallelism = Arbitraries.integers().between(1, 4).injectNull(0.3);
        Arbitrary<Integer> rate = Arbitraries.integers().between(1, 5).injectNull(0.3);
        Arbitrary<Integer> seconds = Arbitraries.integers().between(1, 4);
        return Combinators.combine(parallelism, rate, seconds)
                .as((p, r, s) -> new FlowConfig(p, r, Period.ofSeconds(s)))
                .filter(config -> config.limitsParallelism() || config.limitsRate())
                .list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS.size() - 1);
        Arbitrary<Integer> keyed = Arbitraries.integers().between(0, KEYS.size() - 2);
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1_000);
        Arbitrary<Long> delay = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0L)), Tuple.of(1, Arbitraries.longs().between(1, 4_000)));
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 5).injectNull(0.4);
        List<Tuple2<Integer, Arbitrary<Step>>> frequencies = List.of(
                Tuple.of(12, Combinators.combine(key, Arbitraries.integers().between(0, 3), delay).as(Publish::new)),
                Tuple.of(8, Arbitraries.just(new Drain())),
                Tuple.of(6, Combinators.combine(pick, Arbitraries.of(true, false), delay).as(Complete::new)),
                Tuple.of(1, pick.map(LateEnd::new)),
                Tuple.of(6, Arbitraries.longs().between(1, 2_500).map(Advance::new)),
                Tuple.of(2, pick.map(Withdraw::new)),
                Tuple.of(1, Combinators.combine(keyed, small, small, Arbitraries.integers().between(1, 3).injectNull(0.5))
                        .as(Pin::new)),
                Tuple.of(1, Combinators.combine(keyed, Arbitraries.of(true, false), Arbitraries.of(true, false))
                        .as(Unpin::new)),
                Tuple.of(1, keyed.map(Pause::new)),
                Tuple.of(2, keyed.map(Resume::new)),
                Tuple.of(1, keyed.map(ResetRate::new)),
                Tuple.of(1, key.map(Hide::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 6).map(Global::new)),
                Tuple.of(2, Arbitraries.of(0L, 1_000L).map(Forget::new)));
        return Arbitraries.frequencyOf(frequencies).list().ofMaxSize(80);
    }

    /** The broker, the workers and the gatekeeper loop, plus what the engine is expected to know. */
    static final class Simulation {

        record Message(String key, String id, FlowConfig config, long dueAt, long sequence) {
        }

        record Flight(Message message, long leaseUntil) {
        }

        static final class Window {
            long start;
            int count;
        }

        final VirtualClock clock = new VirtualClock();
        final FlowController engine;
        final List<FlowConfig> configs;
        int globalParallelism;
        final Map<String, List<Message>> holding = new HashMap<>();
        final Map<String, Flight> flights = new LinkedHashMap<>();
        final Set<String> ended = new HashSet<>();
        final Map<String, Window> windows = new HashMap<>();
        final Map<String, Message> lastStarted = new HashMap<>();
        final Set<String> paused = new HashSet<>();
        final Set<String> withdrawnInFlight = new HashSet<>();
        final Set<String> managed = new HashSet<>();
        final Set<String> hidden = new HashSet<>();
        final Map<String, Long> parkedUntil = new HashMap<>();
        final Map<String, Integer> missesInARow = new HashMap<>();
        long sequence;

        Simulation(List<FlowConfig> configs, int globalParallelism) {
            this.configs = configs;
            this.globalParallelism = globalParallelism;
            this.engine = new FlowController(clock, globalParallelism);
        }

        void apply(Step step) {
            if (step instanceof Publish publish) {
                String key = KEYS.get(publish.key());
                FlowConfig config = key.isEmpty() ? null : configs.get(publish.config() % configs.size());
                admit(new Message(key, "m" + (++sequence), config, clock.millis() + publish.delay(), sequence));
            } else if (step instanceof Drain) {
                drain();
            } else if (step instanceof Complete complete) {
                complete(complete);
            } else if (step instanceof LateEnd late) {
                lateEnd(late.pick());
            } else if (step instanceof Advance advance) {
                clock.advanceMillis(advance.millis());
            } else if (step instanceof Withdraw withdraw) {
                withdraw(withdraw.pick());
            } else if (step instanceof Pin pin) {
                pin(pin);
            } else if (step instanceof Unpin unpin) {
                managed.add(KEYS.get(unpin.key()));
                engine.unpin(KEYS.get(unpin.key()), unpin.parallelism(), unpin.rate());
            } else if (step instanceof Pause pause) {
                paused.add(KEYS.get(pause.key()));
                engine.pause(KEYS.get(pause.key()));
            } else if (step instanceof Resume resume) {
                paused.remove(KEYS.get(resume.key()));
                engine.resume(KEYS.get(resume.key()));
            } else if (step instanceof ResetRate reset) {
                newWindow(KEYS.get(reset.key()));
                engine.resetRate(KEYS.get(reset.key()));
            } else if (step instanceof Hide hide) {
                hidden.add(KEYS.get(hide.key()));
            } else if (step instanceof Global global) {
                globalParallelism = global.max();
                engine.globalParallelism(global.max());
            } else if (step instanceof Forget forget) {
                engine.forgetKeysIdleFor(Duration.ofMillis(forget.idleMillis()));
            }
        }

        void admit(Message message) {
            holding.computeIfAbsent(message.key(), k -> new ArrayList<>()).add(message);
            engine.admit(message.key(), message.id(), message.config(), message.dueAt());
        }

        void drain() {
            for (int guard = 0; guard < 10_000; guard++) {
                Optional<String> offered = engine.nextKey();
                if (offered.isEmpty()) {
                    checkNoIdleCapacity();
                    return;
                }
                String key = offered.get();
                Optional<Message> head = head(key);
                assertTrue(head.isPresent(), "offered " + key + " without a due message");
                if (hidden.remove(key)) {
                    engine.nothingWaiting(key);
                    int misses = missesInARow.merge(key, 1, Integer::sum);
                    long backoff = Math.min(FlowController.MISS_BACKOFF.toMillis(), 1L << Math.min(misses - 1, 20));
                    parkedUntil.put(key, clock.millis() + backoff);
                    continue;
                }
                checkMayStart(key);
                start(head.get());
            }
            fail("the engine kept offering keys");
        }

        void start(Message message) {
            missesInARow.remove(message.key());
            Message previous = lastStarted.put(message.key(), message);
            if (previous != null) {
                assertTrue(previous.dueAt() < message.dueAt()
                                || (previous.dueAt() == message.dueAt() && previous.sequence() < message.sequence()),
                        "FIFO per key");
            }
            holding.get(message.key()).remove(message);
            flights.put(message.id(), new Flight(message, clock.millis() + LEASE));
            countStart(message.key());
            engine.started(message.key(), message.id(), message.config(), clock.millis() + LEASE);
            engine.sent(message.id(), clock.millis());
            checkCounts();
        }

        void complete(Complete complete) {
            List<Flight> active = new ArrayList<>(flights.values());
            if (active.isEmpty()) {
                return;
            }
            Flight flight = active.get(complete.pick() % active.size());
            flights.remove(flight.message().id());
            ended.add(flight.message().id());
            engine.attemptEnded(flight.message().id());
            if (complete.retry()) {
                Message message = flight.message();
                ended.remove(message.id());
                Message retry = new Message(message.key(), message.id(), message.config(),
                        clock.millis() + complete.retryDelay(), ++sequence);
                if (withdrawnInFlight.remove(message.id())) {
                    // a retry its cancel did not stop: the gatekeeper drops its copy when met, uncounted
                    engine.admit(retry.key(), retry.id(), retry.config(), retry.dueAt());
                } else {
                    admit(retry);
                }
            }
        }

        void lateEnd(int pick) {
            List<String> ids = new ArrayList<>(ended);
            if (!ids.isEmpty()) {
                ids.sort(Comparator.naturalOrder());
                assertFalse(engine.attemptEnded(ids.get(pick % ids.size())), "a late report frees nothing");
            }
        }

        void withdraw(int pick) {
            List<Message> candidates = Stream.concat(holding.values().stream().flatMap(List::stream),
                    flights.values().stream().map(Flight::message)).sorted(Comparator.comparing(Message::id)).toList();
            if (candidates.isEmpty()) {
                return;
            }
            Message message = candidates.get(pick % candidates.size());
            holding.getOrDefault(message.key(), new ArrayList<>()).remove(message);
            if (flights.containsKey(message.id())) {
                withdrawnInFlight.add(message.id());
            }
            engine.withdraw(message.key(), message.id(), message.config());
        }

        void pin(Pin pin) {
            String key = KEYS.get(pin.key());
            if (pin.parallelism() == null && pin.rate() == null) {
                return;
            }
            Period period = pin.rate() == null || pin.periodSeconds() == null ? null : Period.ofSeconds(pin.periodSeconds());
            managed.add(key);
            engine.pin(key, pin.parallelism(), pin.rate(), period);
            if (pin.rate() != null) {
                newWindow(key);
            }
        }

        void newWindow(String key) {
            Window window = new Window();
            window.start = clock.millis();
            windows.put(key, window);
        }

        void countStart(String key) {
            long now = clock.millis();
            Window window = windows.get(key);
            if (window == null || now - window.start >= periodMillis(key)) {
                newWindow(key);
                window = windows.get(key);
            }
            window.count++;
        }

        long periodMillis(String key) {
            return key.isEmpty() ? 1_000 : snapshot(key).ratePeriodSeconds() * 1_000;
        }

        boolean windowAllows(String key) {
            if (key.isEmpty()) {
                return true;
            }
            KeySnapshot snapshot = snapshot(key);
            Window window = windows.get(key);
            return snapshot.rateMax() == 0 || window == null
                    || clock.millis() - window.start >= snapshot.ratePeriodSeconds() * 1_000
                    || window.count < snapshot.rateMax();
        }

        boolean parallelismAllows(String key) {
            return key.isEmpty() || snapshot(key).parallelismMax() == 0 || active(key) < snapshot(key).parallelismMax();
        }

        void checkMayStart(String key) {
            assertFalse(paused.contains(key), "a paused key started");
            assertTrue(parkedUntil.getOrDefault(key, Long.MIN_VALUE) <= clock.millis(), "a parked key started");
            assertTrue(activeTotal() < globalParallelism, "global parallelism exceeded");
            assertTrue(parallelismAllows(key), "parallelism of " + key + " exceeded");
            assertTrue(windowAllows(key), "rate of " + key + " exceeded");
        }

        void checkNoIdleCapacity() {
            if (activeTotal() >= globalParallelism) {
                return;
            }
            for (String key : KEYS) {
                boolean eligible = head(key).isPresent() && !paused.contains(key)
                        && parkedUntil.getOrDefault(key, Long.MIN_VALUE) <= clock.millis()
                        && parallelismAllows(key) && windowAllows(key);
                assertFalse(eligible, "idle capacity: " + key + " could start; engine: " + engine.snapshot(key) + " next=" + engine.nextWakeUpMillis() + " now=" + clock.millis());
            }
        }

        void checkCounts() {
            assertEquals(activeTotal(), engine.global().parallelismCount(), "global in flight");
            for (String key : KEYS.subList(0, KEYS.size() - 1)) {
                Optional<KeySnapshot> found = engine.snapshot(key);
                if (found.isEmpty()) {
                    assertEquals(0, holdingOf(key).size(), key + " unknown but has messages");
                    continue;
                }
                KeySnapshot snapshot = found.get();
                assertEquals(visible(key).size(), snapshot.waitListSize(), key + " waiting");
                assertEquals(holdingOf(key).size() - visible(key).size(), snapshot.scheduledCount(), key + " scheduled");
                assertEquals(active(key), snapshot.parallelismCount(), key + " in flight");
                assertTrue(snapshot.rateCount() >= 0 && snapshot.waitListSize() >= 0);
                checkEffectiveConfiguration(key, snapshot);
            }
        }

        /** Without pins, the limits must be those of the mix of waiting and in-flight messages. */
        void checkEffectiveConfiguration(String key, KeySnapshot snapshot) {
            List<FlowConfig> mix = Stream.concat(visible(key).stream(),
                            flights.values().stream().filter(f -> f.leaseUntil() > clock.millis()).map(Flight::message)
                                    .filter(m -> m.key().equals(key)))
                    .map(Message::config).toList();
            if (managed.contains(key) || mix.isEmpty()) {
                return;
            }
            int parallelism = mix.stream().anyMatch(c -> c.parallelism() == null) ? 0
                    : mix.stream().mapToInt(FlowConfig::parallelism).max().orElseThrow();
            assertEquals(parallelism, snapshot.parallelismMax(), key + " effective parallelism");
            if (mix.stream().anyMatch(c -> c.rate() == null)) {
                assertEquals(0, snapshot.rateMax(), key + " no rate limit");
                assertEquals(1, snapshot.ratePeriodSeconds());
            } else {
                FlowConfig fastest = mix.stream().max(FlowConfig::compareRate).orElseThrow();
                assertEquals(fastest.rate(), snapshot.rateMax(), key + " effective rate");
                assertEquals(fastest.period().seconds(), snapshot.ratePeriodSeconds(), key + " effective period");
            }
        }

        long pending() {
            return holding.values().stream().mapToLong(List::size).sum() + flights.size();
        }

        KeySnapshot snapshot(String key) {
            return engine.snapshot(key).orElseThrow();
        }

        long active(String key) {
            return flights.values().stream()
                    .filter(f -> f.message().key().equals(key) && f.leaseUntil() > clock.millis()).count();
        }

        long activeTotal() {
            expireLeases();
            return flights.size();
        }

        void expireLeases() {
            flights.values().removeIf(flight -> {
                boolean expired = flight.leaseUntil() <= clock.millis();
                if (expired) {
                    ended.add(flight.message().id());
                }
                return expired;
            });
        }

        List<Message> holdingOf(String key) {
            return holding.getOrDefault(key, List.of());
        }

        List<Message> visible(String key) {
            return holdingOf(key).stream().filter(m -> m.dueAt() <= clock.millis()).toList();
        }

        Optional<Message> head(String key) {
            return visible(key).stream()
                    .min(Comparator.comparingLong(Message::dueAt).thenComparingLong(Message::sequence));
        }
    }
}

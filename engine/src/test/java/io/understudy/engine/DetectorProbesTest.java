package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerReading;
import io.understudy.model.ServerState;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.time.Scheduler;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.Job;
import io.understudy.state.LocalStateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The detector's BMC reads run off the engine's tick: a BMC that hangs holds its own probe, not detection. */
class DetectorProbesTest {
    private static final String HUNG = "bl-s1";   // a cold spare: waits off, its BMC probed every ten seconds
    private static final Duration HANG = Duration.ofSeconds(60);

    private final DrivenScheduler clock = new DrivenScheduler();
    private final Thread driving = Thread.currentThread();
    private final LocalStateStore store = new LocalStateStore();
    private final DataCenterConfig config = DemoDataCenter.build(4);
    private final SimDataCenter sim = new SimDataCenter(config, clock, SimTimings.FAST);
    private final HangingBmc bmcs = new HangingBmc();
    private final ThreadPerProbe probes = new ThreadPerProbe();
    private final Engine engine = new Engine(store, new Drivers(Map.of("sim", bmcs), sim, sim, sim), new OneThread(clock),
            EngineSettings.DEFAULTS, Runnable::run, probes, EngineListener.NONE);

    DetectorProbesTest() {
        sim.addListener(engine.detector());
        assertThat(store.submit(new ApplyConfig(config, "test", clock.now())).ok()).isTrue();
        store.announceLeadership();
        sim.start();
        clock.advance(Duration.ofSeconds(12));
    }

    @AfterEach
    void releaseHungProbe() {
        bmcs.release.countDown();
    }

    /**
     * Regression: the leader read BMCs on its only tick thread, so one BMC taking its whole timeout stalled detection,
     * event handling and jobs for the fleet, and the round after it counted as paused and convicted nobody.
     */
    @Test
    void oneHangingBmcDoesNotStallDetection() {
        AtomicReference<Instant> crashed = new AtomicReference<>();
        bmcs.onHang = () -> {   // dl-1 crashes just as bl-s1's BMC stops answering
            crashed.set(clock.now());
            sim.inject("dl-1", Fault.CRASH);
        };
        bmcs.hang.set(true);
        assertThat(clock.advanceUntil(() -> crashed.get() != null, Duration.ofMillis(100), Duration.ofSeconds(15))).isTrue();

        Duration timeout = config.groupOf("dl-1").orElseThrow().policy().failureTimeout();
        clock.advanceUntil(() -> store.read(s -> s.server("dl-1").state()) != ServerState.RUNNING, Duration.ofMillis(50), HANG.plusSeconds(10));
        Instant convicted = engine.decisions().about("dl-1").stream().filter(d -> d.text().startsWith("failed:"))
                .map(Decisions.Decision::at).findFirst().orElseThrow(() -> new AssertionError("dl-1 never convicted"));
        assertThat(Duration.between(crashed.get(), convicted)).as("crash to conviction")
                .isLessThanOrEqualTo(timeout.plus(Duration.ofMillis(200)));
        assertThat(engine.decisions().about("dl-1")).anySatisfy(d -> assertThat(d.text()).contains("BMC reports critical health"));

        assertThat(clock.advanceUntil(() -> !jobs().isEmpty() && !jobs().get(0).active(), Duration.ofMillis(100), Duration.ofSeconds(10))).isTrue();
        assertThat(jobs().get(0).status()).as(jobs().get(0).message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(Duration.between(crashed.get(), clock.now())).as("crash to failover done").isLessThan(HANG.dividedBy(2));
        assertThat(engine.decisions().recent()).noneSatisfy(d -> assertThat(d.text()).contains("paused"));
    }

    /** A BMC that does not answer is not asked again while its probe is out: hung probes never pile up. */
    @Test
    void aHungBmc_isAskedOnceUntilItAnswers() {
        bmcs.hang.set(true);
        clock.advance(Duration.ofSeconds(30));   // three probe periods
        assertThat(bmcs.reads.get(HUNG)).hasValue(1);
        ServerState hung = store.read(s -> s.server(HUNG).state());
        assertThat(hung).as("no answer is not a verdict yet").isEqualTo(ServerState.OFF);
        assertThat(engine.decisions().recent()).noneSatisfy(d -> assertThat(d.text()).contains("paused"));
    }

    private java.util.List<Job> jobs() {
        return store.read(s -> java.util.List.copyOf(s.jobs()));
    }

    /**
     * The simulator's BMCs, but {@link #HUNG}'s read hangs once armed, for {@link #HANG} of data-center time, then
     * times out. Read on the thread that drives the clock (the tick's own, as before probes moved off it), the hang
     * is that much data-center time passing during the call; read elsewhere, it blocks until the clock has moved on
     * that far (or the test ends).
     */
    private final class HangingBmc implements PowerDriver {
        final java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean();
        final CountDownLatch release = new CountDownLatch(1);
        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        volatile Runnable onHang = () -> { };

        @Override
        public PowerReading read(String server, CallContext ctx) throws DriverException {
            if (!server.equals(HUNG) || !hang.get()) return sim.read(server, ctx);
            reads.computeIfAbsent(server, k -> new AtomicInteger()).incrementAndGet();
            onHang.run();
            if (Thread.currentThread() == driving) {
                clock.advance(HANG);
            } else {
                clock.schedule(HANG, release::countDown);
                probes.parked();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new DriverException(DriverException.Kind.TIMEOUT, "BMC of " + server + " did not answer within " + HANG.toSeconds() + " s");
        }

        @Override
        public void powerOff(String server, CallContext ctx) throws DriverException {
            sim.powerOff(server, ctx);
        }

        @Override
        public void powerOn(String server, CallContext ctx) throws DriverException {
            sim.powerOn(server, ctx);
        }
    }

    /**
     * Runs each probe on a thread of its own and waits until it has ended or parked in a hung BMC: every answer is
     * there for the round that asked, as on a direct executor, and a hung BMC strands its own thread only.
     */
    private static final class ThreadPerProbe implements Executor {
        private final ThreadLocal<CountDownLatch> settled = new ThreadLocal<>();

        @Override
        public void execute(Runnable task) {
            CountDownLatch done = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                settled.set(done);
                try {
                    task.run();
                } finally {
                    done.countDown();
                }
            }, "probe");
            t.setDaemon(true);
            t.start();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Called by a probe about to block: the caller may go on. */
        void parked() {
            CountDownLatch l = settled.get();
            if (l != null) l.countDown();
        }
    }

    /**
     * The engine's scheduler as one thread runs it: a periodic task still running when its next run is due skips
     * that run (it cannot start twice at once).
     */
    private static final class OneThread implements Scheduler {
        private final Scheduler under;

        OneThread(Scheduler under) {
            this.under = under;
        }

        @Override
        public Instant now() {
            return under.now();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return under.schedule(delay, task);
        }

        @Override
        public Cancellable every(Duration period, Runnable task) {
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
            return under.every(period, () -> {
                if (!running.compareAndSet(false, true)) return;
                try {
                    task.run();
                } finally {
                    running.set(false);
                }
            });
        }
    }
}

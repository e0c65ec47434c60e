package io.understudy.engine.detect;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.drivers.PowerReading;
import io.understudy.model.config.ServerSpec;
import io.understudy.model.time.Scheduler;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The detector's BMC reads, run off the engine's tick: a round asks, the answer is recorded when the BMC gives it,
 * and a later round (the same one, on a direct executor) reads it. A BMC that takes its whole timeout holds one
 * probe, never the round.
 *
 * <p>At most one probe per server is out at a time (a hung BMC is not asked again until it answers or its driver
 * times out), and at most {@link #WIDTH} run at once on the executor given, so probes never take every thread of a
 * pool they share with job steps, and one hung BMC leaves the other lanes to everyone else's probes. Each read is
 * bounded by its driver's own timeout (the {@code PowerDriver} contract); the detector decides separately how long
 * it waits for an answer before judging without one.
 */
final class Probes {
    /** Probes running at once. Two: a single hung BMC still leaves a lane, and a step pool of four keeps half. */
    static final int WIDTH = 2;

    /** One BMC answer: a reading or the driver's error, and when it was asked for and given. */
    record Answer(PowerReading reading, DriverException error, Instant asked, Instant answered) {
        Verdict verdict() {
            if (error != null) return Verdict.UNCONFIRMED;
            if (reading.power() == PowerReading.Power.OFF) return Verdict.POWERED_OFF;
            if (reading.health() == PowerReading.Health.CRITICAL) return Verdict.OS_CRASHED;
            return Verdict.HUNG;
        }
    }

    private final Drivers drivers;
    private final Scheduler scheduler;
    private final Lane lane;
    /** Servers with a probe queued or running, and since when. */
    private final Map<String, Instant> out = new ConcurrentHashMap<>();
    private final Map<String, Answer> latest = new ConcurrentHashMap<>();

    Probes(Drivers drivers, Scheduler scheduler, Executor executor) {
        this.drivers = drivers;
        this.scheduler = scheduler;
        this.lane = new Lane(executor, WIDTH);
    }

    /** Asks the server's BMC for its power state unless a probe of it is still out; returns whether one was started. */
    boolean ask(ServerSpec spec, long term) {
        Instant asked = scheduler.now();
        if (out.putIfAbsent(spec.id(), asked) != null) return false;
        Runnable read = () -> {
            Answer a;
            try {
                a = new Answer(drivers.power(spec).read(spec.id(), CallContext.probe(term)), null, asked, scheduler.now());
            } catch (DriverException e) {
                a = new Answer(null, e, asked, scheduler.now());
            } catch (RuntimeException e) {
                a = new Answer(null, new DriverException(DriverException.Kind.FAILED, String.valueOf(e.getMessage())), asked, scheduler.now());
            }
            latest.put(spec.id(), a);
            out.remove(spec.id());
        };
        try {
            lane.execute(read);
        } catch (RejectedExecutionException e) {
            out.remove(spec.id());
            return false;
        }
        return true;
    }

    /** The newest answer about the server to a probe asked at or after {@code notBefore}. */
    Optional<Answer> since(String server, Instant notBefore) {
        Answer a = latest.get(server);
        return a == null || a.asked().isBefore(notBefore) ? Optional.empty() : Optional.of(a);
    }

    /** When the probe of this server that is still out was asked, if one is. */
    Optional<Instant> outSince(String server) {
        return Optional.ofNullable(out.get(server));
    }

    /**
     * Runs at most {@code width} tasks at once on an underlying executor; the rest wait in order. On a direct
     * executor every task runs inline, so tests on the driven clock stay deterministic.
     */
    private static final class Lane implements Executor {
        private final Executor under;
        private final int width;
        private final Queue<Runnable> waiting = new ArrayDeque<>();
        private int running;

        Lane(Executor under, int width) {
            this.under = under;
            this.width = width;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                if (running >= width) {
                    waiting.add(task);
                    return;
                }
                running++;
            }
            try {
                under.execute(() -> drain(task));
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    running--;
                }
                throw e;
            }
        }

        /** Runs the task, then whatever waits, until nothing does: the lane is held as long as there is work. */
        private void drain(Runnable first) {
            Runnable next = first;
            while (next != null) {
                try {
                    next.run();
                } finally {
                    synchronized (this) {
                        next = waiting.poll();
                        if (next == null) running--;
                    }
                }
            }
        }
    }
}

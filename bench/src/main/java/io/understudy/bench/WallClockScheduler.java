package io.understudy.bench;

import io.understudy.model.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The wall clock, for runs against real BMC peers (ipmi_sim, fence agents, HTTPS): their answers take real time, so
 * the simulated data center behind them must too. One thread runs every timed task, as in the server.
 */
public final class WallClockScheduler implements Scheduler, AutoCloseable {
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-wall-clock");
        t.setDaemon(true);
        return t;
    });

    @Override
    public Instant now() {
        return Instant.now();
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                System.err.println("scheduled task failed: " + e);
            }
        };
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        var f = exec.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable every(Duration period, Runnable task) {
        var f = exec.scheduleWithFixedDelay(guarded(task), period.toNanos(), Math.max(1, period.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}

package io.understudy.server;

import io.understudy.model.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wall clock, optionally sped up ({@code --speed 30} makes a 90 s cold boot take 3 s) for the demo. One thread
 * runs every timed task, so the engine's rounds never overlap.
 */
public final class ScaledScheduler implements Scheduler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScaledScheduler.class);
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "understudy-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final double speed;
    private final Instant origin;
    private final long originNanos = System.nanoTime();

    /** @param origin the time {@link #now()} starts from (never before the newest time already in the state) */
    public ScaledScheduler(double speed, Instant origin) {
        if (speed <= 0) throw new IllegalArgumentException("speed must be positive, got " + speed);
        this.speed = speed;
        this.origin = origin;
    }

    @Override
    public Instant now() {
        long elapsed = (long) ((System.nanoTime() - originNanos) * speed);
        return origin.plusNanos(elapsed);
    }

    private long real(Duration d) {
        return Math.max(0, (long) (d.toNanos() / speed));
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("scheduled task failed: {}", e.toString(), e);
            }
        };
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        var f = exec.schedule(guarded(task), real(delay), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable every(Duration period, Runnable task) {
        var f = exec.scheduleWithFixedDelay(guarded(task), real(period), Math.max(1, real(period)), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}

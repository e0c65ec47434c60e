package io.understudy.model.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as an input: the only way understudy's engine, detector and simulator read the time or wait. The system
 * implementation runs on the wall clock (optionally sped up for the demo); tests drive a manual one.
 */
public interface Scheduler {
    Instant now();

    /** Runs {@code task} once after {@code delay}; returns a handle that cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, first after one period. */
    Cancellable every(Duration period, Runnable task);

    interface Cancellable {
        void cancel();
    }
}

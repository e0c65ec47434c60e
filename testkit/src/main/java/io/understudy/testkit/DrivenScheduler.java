package io.understudy.testkit;

import io.understudy.model.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A scheduler whose time moves only when a test says so. {@link #advance} runs every task due in order of due
 * time (ties in order of scheduling), setting {@link #now()} to each task's due time, so minutes of data-center
 * time run in milliseconds and every run is the same.
 */
public final class DrivenScheduler implements Scheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private Instant now;
    private long seq;

    public DrivenScheduler() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public DrivenScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task, null);
        queue.add(t);
        return t;
    }

    @Override
    public synchronized Cancellable every(Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) throw new IllegalArgumentException("period must be positive: " + period);
        Task t = new Task(now.plus(period), seq++, task, period);
        queue.add(t);
        return t;
    }

    /** Runs everything due within {@code d}, then leaves the clock at now + d. */
    public void advance(Duration d) {
        Instant until;
        synchronized (this) {
            until = now.plus(d);
        }
        runUntil(until);
    }

    /** Advances in steps of {@code step} until {@code condition} holds or {@code limit} has passed; returns whether it held. */
    public boolean advanceUntil(java.util.function.BooleanSupplier condition, Duration step, Duration limit) {
        Instant end = now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (!now().isBefore(end)) return false;
            advance(step);
        }
        return true;
    }

    private void runUntil(Instant until) {
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(until)) {
                    now = until;
                    return;
                }
                queue.poll();
                if (next.cancelled || next.origin.cancelled) continue;
                now = next.due;
                if (next.period != null) {
                    queue.add(new Task(next.due.plus(next.period), seq++, next.body, next.period, next));
                }
            }
            next.body.run();
        }
    }

    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled && !t.origin().cancelled).count();
    }

    private static final class Task implements Comparable<Task>, Cancellable {
        final Instant due;
        final long seq;
        final Runnable body;
        final Duration period;
        final Task origin;
        volatile boolean cancelled;

        Task(Instant due, long seq, Runnable body, Duration period) {
            this(due, seq, body, period, null);
        }

        Task(Instant due, long seq, Runnable body, Duration period, Task origin) {
            this.due = due;
            this.seq = seq;
            this.body = body;
            this.period = period;
            this.origin = origin == null ? this : origin.origin;
        }

        Task origin() {
            return origin;
        }

        @Override
        public void cancel() {
            cancelled = true;
            origin.cancelled = true;
        }

        @Override
        public int compareTo(Task o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}

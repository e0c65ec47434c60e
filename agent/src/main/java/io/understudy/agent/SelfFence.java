package io.understudy.agent;

import io.understudy.model.time.Scheduler;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when an agent cut off from a majority of the control plane must fence itself (stop its workloads and drop
 * its aliases): the majority may already have declared this server failed and moved its profiles to a spare, and
 * the control plane takes a silent server as fenced once it has been silent for twice the group's self-fence timeout
 * ({@link io.understudy.model.config.GroupPolicy#selfFencedAfter()}). Pure logic: time comes from the injected
 * {@link Scheduler}, contact from {@link #acked}, the timeout from {@link #timeout} (the group's, from heartbeat
 * replies).
 *
 * <p>Contact is counted from when an accepted heartbeat was <em>sent</em>, not from when it was answered: a node's
 * silence clock for this server starts when it last heard from it, which is no earlier than the send time, so the
 * agent's count is never behind the control plane's. The majority contact time is the k-th newest per-node contact
 * (k = nodes/2 + 1); before a node has acknowledged anything it counts from this object's construction.
 *
 * <p>Checked every {@link #MAX_CHECK} (or a tenth of the timeout, when that is shorter). Once past the timeout the
 * {@link Action} runs once, on the scheduler's thread (a slow action should hand its work to another thread); it runs
 * again only after a majority has acknowledged a heartbeat sent after the fence, and the timeout has passed again.
 */
public final class SelfFence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SelfFence.class);

    /** The longest time between two checks. */
    public static final Duration MAX_CHECK = Duration.ofMillis(100);
    /** The shortest time between two checks, whatever the timeout. */
    static final Duration MIN_CHECK = Duration.ofMillis(10);

    /** What fencing does; {@code why} is one sentence for the log and the alarm. */
    @FunctionalInterface
    public interface Action {
        void fence(String why);
    }

    private final int nodes;
    private final int majority;
    private final Scheduler scheduler;
    private final Action action;
    /** Per node, the send time (epoch ms) of the newest heartbeat it accepted; the construction time before any. */
    private final long[] contact;

    private Duration timeout;
    private Duration period;
    private Scheduler.Cancellable check;
    private boolean fenced;
    private long fencedAt;
    private boolean closed;

    /**
     * @param nodes the control plane's node count; a majority is {@code nodes/2 + 1} of them
     * @param scheduler the clock and the periodic check
     * @param action what fencing does
     */
    public SelfFence(int nodes, Scheduler scheduler, Action action) {
        if (nodes < 1) throw new IllegalArgumentException("expected at least one control-plane node, got " + nodes);
        this.nodes = nodes;
        this.majority = nodes / 2 + 1;
        this.scheduler = scheduler;
        this.action = action;
        this.contact = new long[nodes];
        Arrays.fill(contact, now());
    }

    /**
     * Node {@code nodeIndex} accepted a heartbeat sent at {@code sentAtMillis} (epoch ms on the scheduler's clock).
     * Out-of-order answers are fine: only the newest send time counts.
     */
    public synchronized void acked(int nodeIndex, long sentAtMillis) {
        if (nodeIndex < 0 || nodeIndex >= nodes) {
            throw new IllegalArgumentException("node index " + nodeIndex + " out of 0.." + (nodes - 1));
        }
        if (sentAtMillis > contact[nodeIndex]) contact[nodeIndex] = sentAtMillis;
        if (fenced && majorityContact() >= fencedAt) {
            fenced = false;
            log.info("self-fence re-armed: a majority of the control plane ({} of {} nodes) heard from this agent again",
                    majority, nodes);
        }
    }

    /**
     * Sets the self-fence timeout; {@code null} (or a duration that is not positive) turns fencing off. May change at
     * any time; setting the same value again changes nothing.
     */
    public synchronized void timeout(Duration t) {
        Duration next = t == null || t.isZero() || t.isNegative() ? null : t;
        timeout = next;
        Duration wanted = next == null ? null : checkPeriod(next);
        if (closed || (wanted != null && wanted.equals(period))) return;
        if (check != null) check.cancel();
        check = null;
        period = wanted;
        if (wanted != null) check = scheduler.every(wanted, this::check);
    }

    /** Whether this agent has fenced itself and no majority has heard from it since. */
    public synchronized boolean fenced() {
        return fenced;
    }

    /** Stops checking; the action is not called after this returns (unless it is running now). */
    @Override
    public synchronized void close() {
        closed = true;
        if (check != null) check.cancel();
        check = null;
    }

    static Duration checkPeriod(Duration timeout) {
        Duration tenth = timeout.dividedBy(10);
        if (tenth.compareTo(MIN_CHECK) < 0) return MIN_CHECK;
        return tenth.compareTo(MAX_CHECK) < 0 ? tenth : MAX_CHECK;
    }

    private void check() {
        String why;
        synchronized (this) {
            if (closed || fenced || timeout == null) return;
            long now = now();
            long silence = now - majorityContact();
            if (silence <= timeout.toMillis()) return;
            fenced = true;
            fencedAt = now;
            why = "no majority of the control plane (" + majority + " of " + nodes + " nodes) heard for " + silence
                    + " ms > self-fence timeout " + timeout.toMillis() + " ms";
        }
        log.warn("self-fencing: {}", why);
        try {
            action.fence(why);
        } catch (RuntimeException e) {
            log.error("self-fence action failed: {}", e.toString(), e);
        }
    }

    /** The k-th newest contact time, k a majority: when a majority of the nodes last heard from this agent. */
    private long majorityContact() {
        long[] sorted = contact.clone();
        Arrays.sort(sorted);
        return sorted[nodes - majority];
    }

    private long now() {
        return scheduler.now().toEpochMilli();
    }
}

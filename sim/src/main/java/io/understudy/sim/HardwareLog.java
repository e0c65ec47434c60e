package io.understudy.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated hardware's history, in order, safe to read while the data center runs. Bounded: past
 * {@code capacity} events the oldest are dropped, and every page read says how many the reader missed that way.
 */
public final class HardwareLog {
    /** Events kept by default: hours of a busy fault campaign. */
    public static final int KEPT = 200_000;
    /** At most this many events in one page, so a reader far behind pages rather than gets one huge answer. */
    public static final int PAGE = 10_000;

    /**
     * @param events  the events after the one asked for, oldest first
     * @param next    what to ask for next time (the last event's seq, or where the reader stood)
     * @param dropped how many of the oldest events are no longer kept (events 1 to {@code dropped}): a reader that
     *                asked after a seq below it missed some; 0 means nothing was ever dropped
     */
    public record Page(List<HardwareEvent> events, long next, long dropped) {}

    private final int capacity;
    // Grows to the bound, then each new event takes the oldest one's place (a data center in a short test stays small).
    private final List<HardwareEvent> ring = new ArrayList<>();
    private long last;      // seq of the newest event; events 1..last were appended
    private long dropped;   // events 1..dropped are gone

    public HardwareLog() {
        this(KEPT);
    }

    public HardwareLog(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity: expected at least 1, got " + capacity);
        this.capacity = capacity;
    }

    /** Appends an event stamped with the next sequence number. */
    public synchronized HardwareEvent append(Instant at, String kind, String server, String profile, List<String> holders,
                                             String detail) {
        HardwareEvent e = new HardwareEvent(++last, at, kind, server, profile, holders, detail);
        if (ring.size() < capacity) {
            ring.add(e);
        } else {
            ring.set(slot(last), e);
            dropped++;
        }
        return e;
    }

    /** Up to {@link #PAGE} events with a seq greater than {@code after}. */
    public synchronized Page after(long after) {
        if (after < 0) throw new IllegalArgumentException("after: expected a sequence number >= 0, got " + after);
        long from = Math.max(after, dropped) + 1;
        long to = Math.min(last, from + PAGE - 1);
        List<HardwareEvent> out = new ArrayList<>();
        for (long s = from; s <= to; s++) out.add(ring.get(slot(s)));
        long next = out.isEmpty() ? after : to;
        return new Page(out, next, dropped);
    }

    /** Every event still kept, oldest first. */
    public synchronized List<HardwareEvent> events() {
        List<HardwareEvent> out = new ArrayList<>();
        for (long s = dropped + 1; s <= last; s++) out.add(ring.get(slot(s)));
        return out;
    }

    /** How many of the oldest events were dropped to stay within the bound. */
    public synchronized long dropped() {
        return dropped;
    }

    private int slot(long seq) {
        return (int) ((seq - 1) % capacity);
    }
}

package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PairDriver.PairStatus;
import io.understudy.state.AlarmType;
import io.understudy.state.command.ClearAlarm;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Second step of a re-pair job: the twin's member, running, is fed what it lacks by the pair's leader (a snapshot and
 * the inputs after it) while the primary serves; the step watches its sequence number come level with the primary's
 * and ends when it is {@link TwinCheck#level level} with it (within {@link TwinCheck#SYNCED_WITHIN} inputs, hearing the
 * leader) and reports no divergence — the pair is whole,
 * and {@code lockstep-degraded} clears. A twin in {@link TwinCheck#trouble trouble} (diverged; deaf to a leading
 * primary) is told to resync, backing off, at most {@link #RESYNCS} times. A twin not level after
 * {@link #LIMIT} fails the job (the pair watcher tries again later, backing off).
 */
final class SyncTwin implements JobStep {
    /** How long a sync may take: the measured 100 MiB sync takes seconds; a much longer one is stuck. */
    static final Duration LIMIT = Duration.ofMinutes(10);
    static final int RESYNCS = 3;
    private static final Duration RESYNC_BACKOFF = Duration.ofSeconds(20);

    /** This leader's resync orders per job and term: how many, and when the next may go. */
    private record Orders(int count, Instant next) {}

    private final Map<String, Orders> orders = new ConcurrentHashMap<>();
    /** The primary's sequence number at this leader's last poll, per job and term (the twin must reach it). */
    private final Map<String, Long> primarySeq = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "sync-twin";
    }

    @Override
    public Outcome run(StepContext c) {
        String gone = StartTwin.gone(c);
        if (gone != null) {
            forget(c);
            return Outcome.ended(gone);
        }
        String primary = c.job().source();
        String twin = c.job().target();
        String profile = c.profile().id();
        String why;
        try {
            PairStatus p = c.drivers().pair().status(primary, c.profile(), c.call());
            try {
                PairStatus t = c.drivers().pair().status(twin, c.profile(), c.call());
                long lag = TwinCheck.lag(p, t);
                String trouble = TwinCheck.trouble(twin, p, t);
                Long before = primarySeq.put(key(c), p.seq());
                if (trouble == null && TwinCheck.level(p, t, before)) {
                    forget(c);
                    c.submit(new ClearAlarm(AlarmType.LOCKSTEP_DEGRADED, profile, c.now()));
                    return Outcome.done("twin " + twin + " holds the pair's inputs (at " + t.seq() + ", the primary at " + p.seq() + "): " + profile + " is paired");
                }
                why = trouble != null ? trouble + resync(c, t, trouble) : "twin " + twin + " at input " + t.seq() + " of " + p.seq() + " (" + lag + " behind"
                        + (t.leader() == null && !t.leading() ? ", hearing no leader yet)" : ")");
            } catch (DriverException e) {
                why = "the twin's member does not answer: " + e.getMessage();
            }
        } catch (DriverException e) {
            why = "the primary's member does not answer: " + e.getMessage();
        }
        if (c.pastDeadline(LIMIT)) {
            forget(c);
            return Outcome.failed(AlarmType.LOCKSTEP_DEGRADED, "twin " + twin + " of " + profile + " was not synced in within "
                    + LIMIT.toMinutes() + " min (" + why + ")");
        }
        return Outcome.waitUntil(c.nextPoll(), "syncing: " + why);
    }

    private void forget(StepContext c) {
        orders.remove(key(c));
        primarySeq.remove(key(c));
    }

    private static String key(StepContext c) {
        return c.job().id() + "@" + c.term();
    }

    /** Tells the twin to resync, backing off between orders, at most {@link #RESYNCS} times in this step. */
    private String resync(StepContext c, PairStatus twin, String trouble) {
        String key = key(c);
        Orders o = orders.get(key);
        int n = o == null ? 0 : o.count();
        if (n >= RESYNCS) return "; told to resync " + n + " times already (at most " + RESYNCS + ")";
        if (o != null && c.now().isBefore(o.next())) return "; told to resync (" + n + " of at most " + RESYNCS + "), next not before " + o.next();
        orders.put(key, new Orders(n + 1, c.now().plus(RESYNC_BACKOFF.multipliedBy(1L << n))));
        try {
            c.drivers().pair().resync(c.job().target(), c.profile(), c.call());
            return "; told to resync (" + (n + 1) + " of at most " + RESYNCS + ")";
        } catch (DriverException e) {
            return "; resync refused (" + (n + 1) + " of at most " + RESYNCS + "): " + e.getMessage();
        }
    }
}

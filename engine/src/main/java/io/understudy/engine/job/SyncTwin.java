package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PairDriver.PairStatus;
import io.understudy.state.AlarmType;
import io.understudy.state.command.ClearAlarm;
import java.time.Duration;

/**
 * Second step of a re-pair job: the twin's member, running, is fed what it lacks by the pair's leader (a snapshot and
 * the inputs after it) while the primary serves; the step watches its sequence number come level with the primary's
 * and ends when it is within {@link #SYNCED_WITHIN} inputs — the pair is whole, and {@code lockstep-degraded} clears.
 * A twin that is not level after {@link #LIMIT} fails the job (the pair watcher tries again later, backing off).
 */
final class SyncTwin implements JobStep {
    /** As the pair watcher counts a twin paired: within this many inputs of the primary. */
    static final long SYNCED_WITHIN = 1_000;
    /** How long a sync may take: the measured 100 MiB sync takes seconds; a much longer one is stuck. */
    static final Duration LIMIT = Duration.ofMinutes(10);

    @Override
    public String name() {
        return "sync-twin";
    }

    @Override
    public Outcome run(StepContext c) {
        String gone = StartTwin.gone(c);
        if (gone != null) return Outcome.ended(gone);
        String primary = c.job().source();
        String twin = c.job().target();
        String profile = c.profile().id();
        PairStatus p;
        PairStatus t;
        String why;
        try {
            p = c.drivers().pair().status(primary, c.profile(), c.call());
            try {
                t = c.drivers().pair().status(twin, c.profile(), c.call());
                long lag = Math.max(0, p.seq() - t.seq());
                if (lag <= SYNCED_WITHIN) {
                    c.submit(new ClearAlarm(AlarmType.LOCKSTEP_DEGRADED, profile, c.now()));
                    return Outcome.done("twin " + twin + " holds the pair's inputs (at " + t.seq() + ", the primary at " + p.seq() + "): " + profile + " is paired");
                }
                why = "twin " + twin + " at input " + t.seq() + " of " + p.seq() + " (" + lag + " behind)";
            } catch (DriverException e) {
                why = "the twin's member does not answer: " + e.getMessage();
            }
        } catch (DriverException e) {
            why = "the primary's member does not answer: " + e.getMessage();
        }
        if (c.pastDeadline(LIMIT)) {
            return Outcome.failed(AlarmType.LOCKSTEP_DEGRADED, "twin " + twin + " of " + profile + " was not synced in within "
                    + LIMIT.toMinutes() + " min (" + why + ")");
        }
        return Outcome.waitUntil(c.nextPoll(), "syncing: " + why);
    }
}

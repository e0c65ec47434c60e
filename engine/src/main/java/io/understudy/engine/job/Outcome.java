package io.understudy.engine.job;

import io.understudy.state.AlarmType;
import java.time.Instant;

/**
 * What one run of a step came to: done, failed (with the alarm to raise), or not yet — run it again at a time. A
 * failure without an alarm ends a job that is no longer needed (its source recovered before anything was done).
 */
public record Outcome(Kind kind, String message, Instant retryAt, AlarmType alarm) {
    public enum Kind { DONE, FAILED, WAIT }

    public static Outcome done(String message) {
        return new Outcome(Kind.DONE, message, null, null);
    }

    public static Outcome failed(AlarmType alarm, String message) {
        return new Outcome(Kind.FAILED, message, null, alarm);
    }

    /** Ends the job (as failed, so it counts against the automatic budget) with nothing to alarm about. */
    public static Outcome ended(String message) {
        return new Outcome(Kind.FAILED, message, null, null);
    }

    public static Outcome waitUntil(Instant at, String message) {
        return new Outcome(Kind.WAIT, message, at, null);
    }
}

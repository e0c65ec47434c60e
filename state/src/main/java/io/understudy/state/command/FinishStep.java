package io.understudy.state.command;

import io.understudy.state.Step;
import java.time.Instant;

/**
 * Committed after a step's external action: done, failed (the job fails) or skipped.
 *
 * @param startNext a done step's successor starts in the same commit (one replication round instead of two between
 *                  steps); a leader that takes over finds it running and resumes it, as after a {@link StartStep}
 * @param targetMayHold a failed job's target could not be confirmed clear of the profile (it neither gave the identity
 *                  up nor read off): the profile stays recorded there instead of down, so nothing starts it elsewhere
 *                  before the target is fenced (entries written before this field read false: recorded down)
 */
public record FinishStep(long job, int step, Step.Status outcome, String message, Instant at, boolean startNext,
                         boolean targetMayHold) implements Command {
    public FinishStep(long job, int step, Step.Status outcome, String message, Instant at, boolean startNext) {
        this(job, step, outcome, message, at, startNext, false);
    }

    public FinishStep(long job, int step, Step.Status outcome, String message, Instant at) {
        this(job, step, outcome, message, at, false, false);
    }
}

package io.understudy.state.command;

import io.understudy.state.Step;
import java.time.Instant;

/** Committed after a step's external action: done, failed (the job fails) or skipped. */
public record FinishStep(long job, int step, Step.Status outcome, String message, Instant at) implements Command {}

package io.understudy.state.command;

import java.time.Instant;

/** Committed before a step's external action; refused for a finished step (invariant 4). */
public record StartStep(long job, int step, Instant at) implements Command {}

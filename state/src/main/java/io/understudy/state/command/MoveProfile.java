package io.understudy.state.command;

import java.time.Instant;

/**
 * Moves a job's profile onto its target. Refused unless the source no longer holds the identity: fenced for a
 * failover, released by its agent (or powered off) for a fallback.
 */
public record MoveProfile(long job, Instant at) implements Command {}

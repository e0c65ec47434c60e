package io.understudy.state.command;

import java.time.Instant;

/**
 * Reserves a target server for a job, atomically (invariant 3). With {@code victim} set, the profile running
 * there is preempted: it goes down with an alarm.
 */
public record ReserveSpare(long job, String spare, String victim, String why, Instant at) implements Command {}

package io.understudy.state.command;

import io.understudy.state.JobType;
import java.time.Instant;

/**
 * Starts a numbered job for a profile; refused if the profile already has one (never fail over twice).
 *
 * @param target for a move, the server to move to; null for a move to the best qualified spare (chosen, and reserved,
 *               when the command is applied) and for every other kind of job
 */
public record CreateJob(JobType type, String profile, String source, String startedBy, String reason, Instant at, String target)
        implements Command {
    public CreateJob(JobType type, String profile, String source, String startedBy, String reason, Instant at) {
        this(type, profile, source, startedBy, reason, at, null);
    }
}

package io.understudy.state.command;

import io.understudy.state.JobType;
import java.time.Instant;

/** Starts a numbered job for a profile; refused if the profile already has one (never fail over twice). */
public record CreateJob(JobType type, String profile, String source, String startedBy, String reason, Instant at)
        implements Command {}

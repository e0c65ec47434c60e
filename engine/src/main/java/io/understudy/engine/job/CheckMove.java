package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.model.ServerState;
import io.understudy.state.Job;
import java.util.Objects;
import java.util.Optional;

/**
 * A planned move's first step: the profile still runs on the source, the source is healthy and its agent answers (a
 * move needs a source that cooperates; one that does not is a failover's, which fences), and the target reserved when
 * the job was created is still held by this job. Maintenance does not stop a move: planned work is what it is for.
 */
final class CheckMove implements JobStep {
    @Override
    public String name() {
        return "check-move";
    }

    @Override
    public Outcome run(StepContext c) {
        Job job = c.job();
        if (c.read(s -> s.config().group(job.group()).isEmpty())) return Outcome.ended("group " + job.group() + " is no longer configured; nothing was moved");
        String runsOn = c.read(s -> s.profile(job.profile()).server());
        if (!Objects.equals(runsOn, job.source())) return Outcome.ended("profile " + job.profile() + " no longer runs on " + job.source() + "; nothing was moved");
        ServerState source = c.read(s -> s.server(job.source()).state());
        if (source != ServerState.RUNNING) {
            return Outcome.ended("source " + job.source() + " is " + source.wire() + "; a planned move needs a healthy source, nothing was moved");
        }
        boolean held = c.read(s -> s.server(job.target()) != null && Objects.equals(s.server(job.target()).reservedBy(), job.id()));
        if (!held) return Outcome.ended(job.target() + " is no longer reserved by job " + job.id() + "; nothing was moved");
        if (c.policy().serializeJobs()) {
            Optional<Job> older = c.read(s -> s.activeJobs().stream().filter(j -> j.group().equals(job.group()) && j.id() < job.id()).findFirst());
            if (older.isPresent()) {
                return Outcome.waitUntil(c.nextPoll(), "waiting for job " + older.get().id() + " (group " + job.group() + " runs one job at a time)");
            }
        }
        try {
            var status = c.drivers().workload().monitor(job.source(), c.profile(), c.call());
            return Outcome.done("source " + job.source() + " is running and its agent answers (workload " + status.name().toLowerCase().replace('_', ' ')
                    + "); " + job.target() + " is reserved");
        } catch (DriverException e) {
            boolean hopeless = e.kind() == DriverException.Kind.AUTH || e.kind() == DriverException.Kind.REFUSED;
            if (!hopeless && !c.pastDeadline(c.policy().failureTimeout())) {
                return Outcome.waitUntil(c.nextPoll(), "the agent of " + job.source() + " does not answer yet: " + e.getMessage());
            }
            return Outcome.ended("the agent of " + job.source() + " does not answer (" + e.getMessage()
                    + "); a planned move needs a cooperating source (a failover fences one), nothing was moved");
        }
    }
}

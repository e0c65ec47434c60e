package io.understudy.engine.job;

import io.understudy.model.ServerState;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import java.util.Objects;
import java.util.Optional;

/**
 * VCEM's first step: the group is managed, consistent and not in maintenance; with {@code serializeJobs} the job
 * waits for older jobs of its group (VCEM's group lock), otherwise jobs run side by side on disjoint profiles.
 */
final class CheckGroup implements JobStep {
    @Override
    public String name() {
        return "check-group";
    }

    @Override
    public Outcome run(StepContext c) {
        Job job = c.job();
        if (c.read(s -> s.config().group(job.group()).isEmpty())) {
            return Outcome.failed(AlarmType.FAILOVER_FAILED, "group " + job.group() + " is no longer configured");
        }
        if (c.read(s -> s.inMaintenance(job.group()))) {
            return Outcome.failed(AlarmType.FAILOVER_FAILED, "group " + job.group() + " is in maintenance");
        }
        String runsOn = c.read(s -> s.profile(job.profile()).server());
        if (!Objects.equals(runsOn, job.source())) {
            return Outcome.failed(AlarmType.FAILOVER_FAILED, "profile " + job.profile() + " no longer runs on " + job.source());
        }
        if (job.type() == JobType.FALLBACK) {
            ServerState home = c.read(s -> s.server(job.target()).state());
            if (home != ServerState.RUNNING) {
                return Outcome.failed(AlarmType.FAILOVER_FAILED, "home server " + job.target() + " is " + home.wire());
            }
        }
        if (c.policy().serializeJobs()) {
            Optional<Job> older = c.read(s -> s.activeJobs().stream()
                    .filter(j -> j.group().equals(job.group()) && j.id() < job.id()).findFirst());
            if (older.isPresent()) {
                return Outcome.waitUntil(c.nextPoll(), "waiting for job " + older.get().id() + " (group " + job.group() + " runs one job at a time)");
            }
        }
        return Outcome.done("group " + job.group() + " is managed and consistent");
    }
}

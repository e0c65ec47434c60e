package io.understudy.engine.job;

import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.policy.FailurePlan;
import io.understudy.model.policy.Preemption;
import io.understudy.model.policy.SpareSelection;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import io.understudy.state.command.ObserveServer;
import io.understudy.state.command.ReserveSpare;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks and reserves a qualified spare (the smallest that is enough). Better-priority jobs of the group choose
 * first; with preemption on, a better-priority profile may take the spare of a worse one, which is powered off
 * (and read back off) before anything else happens on it.
 */
final class SelectSpare implements JobStep {
    @Override
    public String name() {
        return "select-spare";
    }

    @Override
    public Outcome run(StepContext c) {
        Job job = c.job();
        ProfileSpec me = c.profile();
        if (job.target() != null) return job.victim() == null ? Outcome.done("spare " + job.target() + " reserved") : stopVictim(c);
        Optional<Job> better = c.read(s -> s.activeJobs().stream()
                .filter(j -> j.type() == JobType.FAILOVER && j.group().equals(job.group()) && j.target() == null && j.id() != job.id())
                .filter(j -> s.config().profile(j.profile()).map(p -> FailurePlan.PRIORITY_ORDER.compare(p, me) < 0).orElse(false))
                .findFirst());
        if (better.isPresent()) {
            return Outcome.waitUntil(c.nextPoll(), "job " + better.get().id() + " has a better priority and chooses first");
        }
        List<ServerView> spares = c.read(s -> s.views().stream().filter(v -> v.spare() && job.group().equals(v.group())).toList());
        SpareSelection.Choice choice = SpareSelection.choose(spares, me, c.level());
        if (choice.spare().isPresent()) {
            String spare = choice.spare().get().id();
            var r = c.submit(new ReserveSpare(job.id(), spare, null, choice.explain(), c.now()));
            if (!r.ok()) return Outcome.waitUntil(c.nextPoll(), "reservation of " + spare + " refused, choosing again: " + r.message());
            return Outcome.done(choice.explain());
        }
        if (c.policy().preempt()) {
            Map<String, ProfileSpec> profiles = c.read(s -> s.profileSpecs());
            Optional<Preemption.Victim> victim = Preemption.choose(spares, profiles, me);
            if (victim.isPresent()) {
                Preemption.Victim v = victim.get();
                String why = "preempts " + v.profile().id() + " (priority " + v.profile().priority() + " > " + me.priority() + ")";
                var r = c.submit(new ReserveSpare(job.id(), v.server().id(), v.profile().id(), why, c.now()));
                if (!r.ok()) return Outcome.waitUntil(c.nextPoll(), "preemption refused, choosing again: " + r.message());
                return Outcome.waitUntil(c.now(), why + "; powering " + v.server().id() + " off");
            }
        }
        return Outcome.failed(AlarmType.FAILOVER_FAILED, choice.explain() + "; profile " + me.id() + " stays down");
    }

    /** The preempted profile's server is powered off and read back off before it takes the new identity. */
    private Outcome stopVictim(StepContext c) {
        String id = c.job().target();
        String victim = c.job().victim();
        Outcome o = PowerOff.confirm(c, id, "to preempt " + victim, how -> {
            c.submit(new ObserveServer(id, ServerState.OFF, "powered off to preempt " + victim, c.now()));
            return Outcome.done("spare " + id + " taken from " + victim + " (preempted); " + how);
        });
        return PowerOff.onFailure(o, "the preempted spare cannot be taken");
    }
}

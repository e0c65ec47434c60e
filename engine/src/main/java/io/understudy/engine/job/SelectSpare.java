package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.policy.FailurePlan;
import io.understudy.model.policy.Preemption;
import io.understudy.model.policy.SpareSelection;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import io.understudy.state.command.ObserveServer;
import io.understudy.state.command.RaiseAlarm;
import io.understudy.state.command.ReserveSpare;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks and reserves a qualified spare (the smallest that is enough). Better-priority jobs of the group choose
 * first; with preemption on, a better-priority profile may take the spare of a worse one, which is powered off
 * (and read back off) before anything else happens on it.
 *
 * <p>With no qualified spare the job waits here, in this one job (invariant 6: no job after job for one cause):
 * a {@code profile-at-risk} alarm says why each spare does not qualify, and the spare is reserved as soon as one
 * does. In the default order this step comes before the fence, so a server nothing can replace is not powered off;
 * if it is heard again and its BMC reads it on and healthy while the job waits, it was only slow or rebooting, and the
 * job ends without touching it.
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
                // A better job that itself finds no spare waits for one; it does not hold back a job that can go on.
                .filter(j -> hasChoice(s, j))
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
        return waitForSpare(c, choice);
    }

    /** Whether a waiting job's profile has a qualified spare now (so it goes first). */
    private static boolean hasChoice(ClusterState s, Job j) {
        ProfileSpec p = s.config().profile(j.profile()).orElse(null);
        if (p == null) return false;
        List<ServerView> spares = s.views().stream().filter(v -> v.spare() && j.group().equals(v.group())).toList();
        return SpareSelection.choose(spares, p, s.config().protectionOf(p)).spare().isPresent();
    }

    private static Outcome waitForSpare(StepContext c, SpareSelection.Choice choice) {
        Job job = c.job();
        String source = job.source();
        boolean fenced = c.read(s -> s.server(source) != null && s.server(source).state() == ServerState.FENCED);
        // Only a failure that went away ends the wait: an operator who asked to move a healthy server still wants it.
        if (!fenced && io.understudy.state.JobBudget.automatic(job.startedBy())) {
            Optional<String> recovered = recovered(c, source);
            if (recovered.isPresent()) {
                c.submit(new ObserveServer(source, ServerState.RUNNING, recovered.get(), c.now()));
                return Outcome.ended(recovered.get() + " while job " + job.id() + " waited for a spare; nothing was fenced or moved");
            }
        }
        // An operator's failover of a server that has not failed waits for a spare no longer than the group's boot
        // timeout: nothing was fenced or moved, the profile runs where it is, and the job says so (campaign seed
        // 5092666263293789491: such a job waited at select-spare for ever, its profile on the only spare).
        boolean failed = fenced || c.read(s -> s.server(source) != null && s.server(source).state().isDown());
        if (!failed && !io.understudy.state.JobBudget.automatic(job.startedBy()) && c.pastDeadline(c.policy().bootTimeout())) {
            return Outcome.ended("no qualified spare for " + job.profile() + " within " + c.policy().bootTimeout().toSeconds()
                    + " s; nothing was fenced or moved, " + job.profile() + " runs on " + source + " (" + choice.explain() + ")");
        }
        String text = "profile " + job.profile() + " of " + (failed ? "failed " : "") + "server " + source + " has no spare (job " + job.id() + " waits for one; "
                + (fenced ? source + " is fenced" : source + " is not fenced until a spare is reserved") + "): " + choice.explain();
        boolean same = c.read(s -> s.openAlarm(AlarmType.PROFILE_AT_RISK, job.profile()).map(a -> a.text().equals(text)).orElse(false));
        if (!same) c.submit(new RaiseAlarm(AlarmType.PROFILE_AT_RISK, job.profile(), text, c.now()));
        return Outcome.waitUntil(c.nextPoll(), "waiting for a qualified spare: " + choice.explain());
    }

    /**
     * The source was only slow or rebooting: no node has missed it for a failure timeout, and its BMC reads it on and
     * not critical. Empty while either is not so (or the BMC cannot say).
     */
    private static Optional<String> recovered(StepContext c, String source) {
        if (c.silence(source).compareTo(c.policy().failureTimeout()) >= 0) return Optional.empty();
        try {
            PowerReading r = c.drivers().power(c.server(source)).read(source, c.call());
            if (r.power() != PowerReading.Power.ON || r.health() == PowerReading.Health.CRITICAL) return Optional.empty();
            return Optional.of("recovered: " + source + " heartbeats again and its BMC reads it on and healthy");
        } catch (DriverException e) {
            return Optional.empty();
        }
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

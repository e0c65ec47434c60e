package io.understudy.state;

import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * When an automatic job may be created for a profile (invariant 6): never while its group is in maintenance; after
 * an automatic job of the same kind failed, only after a back-off that doubles with each further failure; and past
 * {@code retryLimit} failures within {@code retryWindow}, not at all — until an operator acts on the profile (any
 * job of theirs) or a job of the profile succeeds, or the oldest failure leaves the window. So at most
 * {@code retryLimit} failing automatic jobs of one kind per profile per window, whatever the faults.
 *
 * <p>Pure and deterministic: the state machine applies it to every automatic {@link io.understudy.state.command.CreateJob}
 * on every replica (with the command's time), and the engine asks it first to say why it waits.
 */
public final class JobBudget {
    /**
     * Who starts jobs on their own (as opposed to an operator): event handling, the fallback policy and the recovery
     * of a down profile at its home. The split-brain rule is not budgeted: its fallback records what the hardware
     * already did (the spare gave the identity up), and it acts once per conflict seen, which that job ends.
     */
    public static final String EVENT_HANDLING = "automatic event handling";
    public static final String FALLBACK_POLICY = "fallback policy";
    public static final String RECOVERY = "recovery of a down profile";
    /** The lockstep pair watcher, starting and syncing a twin that runs no member (a re-pair job). */
    public static final String PAIR_WATCHER = "lockstep pair watcher";
    private static final Set<String> AUTOMATIC = Set.of(EVENT_HANDLING, FALLBACK_POLICY, RECOVERY, PAIR_WATCHER);

    private JobBudget() {}

    public static boolean automatic(String startedBy) {
        return AUTOMATIC.contains(startedBy);
    }

    public enum Kind {
        /** An automatic job may be created now. */
        ALLOWED,
        /** Not now: the group is in maintenance. */
        MAINTENANCE,
        /** Not yet: an earlier automatic job failed; {@code retryAt} says when. */
        BACKING_OFF,
        /** Not until an operator acts or {@code retryAt}: the cap is reached (alarm). */
        CAPPED
    }

    /** @param retryAt when the next automatic job may be created (null: now, or when maintenance ends) */
    public record Verdict(Kind kind, String reason, Instant retryAt, int failures) {
        public boolean allowed() {
            return kind == Kind.ALLOWED;
        }
    }

    public static Verdict check(ClusterState s, String profile, JobType type, Instant now) {
        ProfileSpec spec = s.index().profile(profile).orElse(null);
        GroupSpec group = spec == null ? null : s.index().group(spec.group()).orElse(null);
        if (group == null) return new Verdict(Kind.ALLOWED, "no group", null, 0);
        if (s.inMaintenance(group.id())) {
            return new Verdict(Kind.MAINTENANCE, "group " + group.id() + " is in maintenance: no automatic job", null, 0);
        }
        return retries(s, profile, type, now);
    }

    /** The back-off and cap alone, maintenance aside: what earlier failed automatic jobs allow now. */
    public static Verdict retries(ClusterState s, String profile, JobType type, Instant now) {
        ProfileSpec spec = s.index().profile(profile).orElse(null);
        GroupSpec group = spec == null ? null : s.index().group(spec.group()).orElse(null);
        if (group == null) return new Verdict(Kind.ALLOWED, "no group", null, 0);
        GroupPolicy policy = group.policy();
        Instant windowStart = now.minus(policy.retryWindow());
        List<Job> newestFirst = s.jobs().stream().filter(j -> j.profile().equals(profile) && !j.active())
                .sorted(Comparator.comparingLong(Job::id).reversed()).toList();
        int failures = 0;
        Job newestFailure = null;
        Job oldestFailure = null;
        for (Job j : newestFirst) {
            // An operator's job, or any success, starts the count afresh: someone looked, or things work again.
            if (!automatic(j.startedBy()) || j.status() == Job.Status.SUCCEEDED) break;
            if (j.type() != type || j.ended() == null || !j.ended().isAfter(windowStart)) continue;
            failures++;
            if (newestFailure == null) newestFailure = j;
            oldestFailure = j;
        }
        if (failures == 0) return new Verdict(Kind.ALLOWED, "no failed automatic " + type.wire() + " job", null, 0);
        String last = "last: " + type.wire() + " job " + newestFailure.id() + ", " + newestFailure.message();
        if (failures >= policy.retryLimit()) {
            Instant until = oldestFailure.ended().plus(policy.retryWindow());
            return new Verdict(Kind.CAPPED, failures + " automatic " + type.wire() + " jobs of " + profile + " failed within "
                    + Durations.format(policy.retryWindow()) + " (limit " + policy.retryLimit() + "; " + last
                    + "): no more until an operator acts (understudy " + type.wire() + ") or " + until, until, failures);
        }
        Duration backoff = policy.retryBackoff().multipliedBy(1L << Math.min(failures - 1, 20));
        Instant retryAt = newestFailure.ended().plus(backoff);
        if (now.isBefore(retryAt)) {
            return new Verdict(Kind.BACKING_OFF, failures + " automatic " + type.wire() + " job(s) of " + profile + " failed ("
                    + last + "); backing off " + Durations.format(backoff) + " until " + retryAt, retryAt, failures);
        }
        return new Verdict(Kind.ALLOWED, "back-off after " + failures + " failed job(s) over", null, failures);
    }
}

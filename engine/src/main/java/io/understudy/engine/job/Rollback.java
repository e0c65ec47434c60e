package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.model.config.ProfileSpec;

/**
 * What a job that fails after move-profile does to its target before the state says the profile is down: the target
 * stops the workload and gives the identity up (also one set at the bay, which a cold server would take at its next
 * boot), so nothing comes up with it later while the profile is started elsewhere (invariant 1). An agent that cannot
 * be asked gets a power-off order instead, read back once. Best effort, once: the job is failing either way, and says
 * which it was — and whether the target is confirmed clear, which decides whether the state may record the profile down.
 */
final class Rollback {
    private Rollback() {}

    /** Whether the job's profile was moved (in the state) onto its target: a failure now strands it there. */
    static boolean moved(StepContext c) {
        return c.job().target() != null && c.job().stepDone("move-profile");
    }

    /**
     * Whether a planned move stopped (or began to stop) anything on its source and has not moved the profile: a failure
     * now is rolled back on the source.
     */
    static boolean sourceTouched(StepContext c) {
        var job = c.job();
        if (job.type() != io.understudy.state.JobType.MOVE || moved(c)) return false;
        int stop = job.stepIndex("stop-source");
        return stop >= 0 && job.steps().get(stop).status() != io.understudy.state.Step.Status.PENDING;
    }

    /**
     * Rolls a planned move back on its source: the identity applied again and the workload started (both idempotent),
     * unless the source was fenced; best effort, once, and said either way. Should it fail, the profile watcher
     * brings the profile up on its source again (it is still recorded there).
     */
    static String restartSource(StepContext c) {
        String source = c.job().source();
        ProfileSpec p = c.profile();
        boolean fenced = c.read(s -> s.server(source) != null && s.server(source).state() == io.understudy.model.ServerState.FENCED);
        if (fenced) return "rolled back: " + source + " was fenced, so " + p.id() + " is down until it is started or failed over";
        try {
            c.drivers().identity().assign(source, p, c.call());
            c.drivers().workload().start(source, p, c.call());
            return "rolled back: " + p.id() + " runs on " + source + " again (identity applied, workload started)";
        } catch (DriverException e) {
            return "rollback on " + source + " failed (" + e.getMessage() + "); it stays recorded there and is brought up again by the profile watcher";
        }
    }

    /** What clearing the target did: a sentence, and whether the target is confirmed to hold the identity no more. */
    record Clearance(String message, boolean confirmed) {}

    /** Clears the target. */
    static Clearance clearTarget(StepContext c) {
        String target = c.job().target();
        ProfileSpec p = c.profile();
        String why;
        try {
            try {
                c.drivers().workload().stop(target, p, c.call());
            } catch (DriverException e) {
                if (e.kind() != DriverException.Kind.UNREACHABLE) throw e;
            }
            c.drivers().identity().release(target, p, c.call());
            if (!c.drivers().identity().holds(target, p, c.call())) return new Clearance(target + " gave the identity of " + p.id() + " up", true);
            why = "it still holds it";
        } catch (DriverException e) {
            why = e.getMessage();
        }
        String gaveUp = target + " could not give the identity of " + p.id() + " up (" + why + ")";
        try {
            c.drivers().power(c.server(target)).powerOff(target, c.call());
        } catch (DriverException e) {
            return new Clearance(gaveUp + " nor be powered off (" + e.getMessage() + ")", false);
        }
        try {
            if (c.drivers().power(c.server(target)).read(target, c.call()).power() == PowerReading.Power.OFF) return new Clearance(gaveUp + ": powered off", true);
            return new Clearance(gaveUp + ": power-off ordered, not yet read off", false);
        } catch (DriverException e) {
            return new Clearance(gaveUp + ": power-off ordered, not read back (" + e.getMessage() + ")", false);
        }
    }
}

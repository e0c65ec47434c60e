package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.model.ServerState;
import io.understudy.state.AlarmType;
import io.understudy.state.ProfileRecord;

/**
 * First step of a re-pair job (lockstep, seed 000): the twin's pair member is started — the profile's workload on the
 * twin, never its identity — and the step ends once the member answers. The start order is idempotent (the agent
 * starts it unless it runs), so it is given on every run until the member answers or the group's boot timeout passes.
 */
final class StartTwin implements JobStep {
    @Override
    public String name() {
        return "start-twin";
    }

    @Override
    public Outcome run(StepContext c) {
        String gone = gone(c);
        if (gone != null) return Outcome.ended(gone);
        String twin = c.job().target();
        String profile = c.profile().id();
        try {
            c.drivers().pair().status(twin, c.profile(), c.call());
            return Outcome.done("the pair member of " + profile + " answers on " + twin);
        } catch (DriverException e) {
            // Not running yet, or not answering yet: start it (a no-op when it runs and is still starting).
        }
        try {
            c.drivers().workload().start(twin, c.profile(), c.call());
        } catch (DriverException e) {
            if (c.pastDeadline(c.policy().bootTimeout())) {
                return Outcome.failed(AlarmType.LOCKSTEP_DEGRADED, "the pair member of " + profile + " could not be started on " + twin + " within "
                        + c.policy().bootTimeout().toSeconds() + " s: " + e.getMessage());
            }
            return Outcome.waitUntil(c.nextPoll(), "starting the pair member on " + twin + ": " + e.getMessage() + "; trying again");
        }
        if (c.pastDeadline(c.policy().bootTimeout())) {
            return Outcome.failed(AlarmType.LOCKSTEP_DEGRADED, "the pair member of " + profile + " was started on " + twin + " but did not answer within "
                    + c.policy().bootTimeout().toSeconds() + " s");
        }
        return Outcome.waitUntil(c.nextPoll(), "pair member started on " + twin + "; waiting for it to answer (" + c.elapsed().toSeconds() + " s)");
    }

    /**
     * Why the re-pair is no longer wanted, or null: the primary no longer runs the profile or is down (its failover
     * comes first, and it waits for this job to end), or the twin went down. Ends the job without an alarm of its own.
     */
    static String gone(StepContext c) {
        String primary = c.job().source();
        String twin = c.job().target();
        // One read: the profile's server and both servers' states as of the same applied index.
        return c.read(s -> {
            ProfileRecord p = s.profile(c.job().profile());
            String on = p == null ? null : p.server();
            if (!primary.equals(on)) return "the profile no longer runs on " + primary + " (" + (on == null ? "down" : "on " + on) + "); nothing to re-pair";
            ServerState ps = s.server(primary).state();
            if (ps != ServerState.RUNNING) return "the primary " + primary + " is " + ps.wire() + "; its failover comes first";
            ServerState ts = s.server(twin).state();
            if (ts != ServerState.RUNNING) return "the twin " + twin + " is " + ts.wire() + "; re-paired once it runs again";
            return null;
        });
    }
}

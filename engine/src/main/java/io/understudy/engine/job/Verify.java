package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.state.AlarmType;
import java.time.Duration;

/**
 * Checks that the workload answers on its identity. Not up within the verify timeout is not yet a failure: a
 * re-check is scheduled (VCEM's advice to rerun discovery after a long boot), up to the group's number of rechecks.
 */
final class Verify implements JobStep {
    @Override
    public String name() {
        return "verify";
    }

    @Override
    public Outcome run(StepContext c) {
        String id = c.job().target();
        String why;
        try {
            WorkloadDriver.Status s = c.drivers().workload().monitor(id, c.profile(), c.call());
            if (s == WorkloadDriver.Status.RUNNING) {
                return Outcome.done("workload of " + c.profile().id() + " answers on " + id + " as " + c.profile().identity().hostname());
            }
            why = "workload " + s.name().toLowerCase().replace('_', ' ');
        } catch (DriverException e) {
            why = e.getMessage();
        }
        Duration timeout = c.policy().verifyTimeout();
        int rechecks = c.policy().verifyRechecks();
        if (c.pastDeadline(timeout.multipliedBy(rechecks + 1L))) {
            return Outcome.failed(AlarmType.FAILOVER_FAILED, c.profile().id() + " not verified on " + id + " after "
                    + (rechecks + 1) + " checks: " + why);
        }
        if (!c.pastDeadline(timeout)) return Outcome.waitUntil(c.nextPoll(), "waiting for the workload: " + why);
        long n = c.elapsed().toMillis() / Math.max(1, timeout.toMillis());
        return Outcome.waitUntil(c.stepStarted().plus(timeout.multipliedBy(n + 1)),
                "not up after " + c.elapsed().toSeconds() + " s (" + why + "); re-check " + n + " of " + rechecks + " scheduled");
    }
}

package io.understudy.engine.job;

import io.understudy.drivers.DriverException;
import io.understudy.model.config.ProtectionLevel;

/**
 * A planned move stops the workload on the source gracefully, through its agent (the workload's own stop command, with
 * its timeout), so its last writes are on disk before the data is synced. A preloaded profile's workload keeps
 * running: the source becomes the standby, and the target runs it already. A stop that fails ends the job, and the
 * job engine starts the workload on the source again (nothing was moved).
 */
final class StopSource implements JobStep {
    @Override
    public String name() {
        return "stop-source";
    }

    @Override
    public Outcome run(StepContext c) {
        String id = c.job().source();
        if (c.level().standbyRuns()) {
            return Outcome.done("workload of " + c.profile().id() + " keeps running on " + id + " (" + c.level().wire() + ": it becomes the "
                    + (c.level() == ProtectionLevel.LOCKSTEP ? "twin)" : "standby)"));
        }
        try {
            c.drivers().workload().stop(id, c.profile(), c.call());
            return Outcome.done("workload of " + c.profile().id() + " stopped on " + id);
        } catch (DriverException e) {
            boolean hopeless = e.kind() == DriverException.Kind.AUTH || e.kind() == DriverException.Kind.REFUSED;
            if (!hopeless && !c.pastDeadline(c.policy().fenceTimeout())) {
                return Outcome.waitUntil(c.nextPoll(), "asking the agent of " + id + " to stop the workload again: " + e.getMessage());
            }
            return Outcome.ended("the workload of " + c.profile().id() + " did not stop on " + id + ": " + e.getMessage());
        }
    }
}

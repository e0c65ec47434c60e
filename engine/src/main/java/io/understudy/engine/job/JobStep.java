package io.understudy.engine.job;

/**
 * One step of a job. Steps are idempotent: after a crash or a leader change the step that was running is run
 * again from the top, so it first looks at what is already true (in the state and on the hardware) and only then
 * acts. A step never runs again once its end is committed (invariant 4).
 */
public interface JobStep {
    String name();

    Outcome run(StepContext c);
}

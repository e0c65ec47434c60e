package io.understudy.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A numbered failover or fallback: its steps, what it moves from where to where, and who started it.
 *
 * @param source the server the profile leaves
 * @param target the server it goes to (the reserved spare for a failover, home for a fallback), once known
 * @param victim a profile preempted to free the target, or null
 */
public record Job(long id, JobType type, String group, String profile, String source, String target, Status status,
                  List<Step> steps, String startedBy, String reason, Instant created, Instant ended, String message,
                  String victim) {

    public enum Status {
        @JsonProperty("running") RUNNING,
        @JsonProperty("succeeded") SUCCEEDED,
        @JsonProperty("failed") FAILED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    public Job {
        steps = List.copyOf(steps);
    }

    public boolean active() {
        return status == Status.RUNNING;
    }

    /** Index of the first step not finished, or -1 when all are. */
    public int currentStep() {
        for (int i = 0; i < steps.size(); i++) if (!steps.get(i).status().finished()) return i;
        return -1;
    }

    public int stepIndex(String name) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).name().equals(name)) return i;
        return -1;
    }

    public boolean stepDone(String name) {
        int i = stepIndex(name);
        return i >= 0 && steps.get(i).status() == Step.Status.DONE;
    }

    Job withStep(int i, Step s) {
        List<Step> all = new ArrayList<>(steps);
        all.set(i, s);
        return new Job(id, type, group, profile, source, target, status, all, startedBy, reason, created, ended, message, victim);
    }

    Job withTarget(String t, String v) {
        return new Job(id, type, group, profile, source, t, status, steps, startedBy, reason, created, ended, message, v);
    }

    Job ended(Status s, Instant at, String why) {
        return new Job(id, type, group, profile, source, target, s, steps, startedBy, reason, created, at, why, victim);
    }
}

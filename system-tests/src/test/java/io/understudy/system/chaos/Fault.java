package io.understudy.system.chaos;

/**
 * One fault of a trial's schedule.
 *
 * @param atMs when, in wall milliseconds after the trial starts
 * @param target a server, profile, group or node id; null where the kind picks its own (the leader)
 * @param lastsMs when it is undone (a node started again, a partition healed, a lock or maintenance lifted),
 *                after {@code atMs}; 0: at the end of the trial, when everything is repaired
 */
record Fault(long atMs, FaultKind kind, String target, long lastsMs) {
    @Override
    public String toString() {
        return "+" + atMs + "ms " + kind.name().toLowerCase().replace('_', '-') + (target == null ? "" : " " + target)
                + (lastsMs > 0 ? " for " + lastsMs + "ms" : "");
    }
}

package io.understudy.model;

/** What the control plane believes about a server, as committed to the replicated state. */
public enum ServerState {
    /** Not observed yet. */
    UNKNOWN,
    /** Powered on and its agent heartbeats. */
    RUNNING,
    /** Powered off and healthy as far as its BMC says (a cold spare waits like this). */
    OFF,
    /** Powered on by understudy; its agent has not answered yet. */
    BOOTING,
    /** Confirmed failed, not yet fenced. */
    FAILED,
    /** Failed and confirmed powered off: its identity may move. */
    FENCED;

    public boolean isDown() {
        return this == FAILED || this == FENCED;
    }

    public String wire() {
        return name().toLowerCase();
    }
}

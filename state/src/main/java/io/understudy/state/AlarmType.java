package io.understudy.state;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The alarms understudy raises; each is raised and cleared by the state machine, at most one open per subject. */
public enum AlarmType {
    @JsonProperty("profile-on-spare") PROFILE_ON_SPARE,
    @JsonProperty("spare-out-of-order") SPARE_OUT_OF_ORDER,
    @JsonProperty("spare-pool-insufficient") SPARE_POOL_INSUFFICIENT,
    @JsonProperty("fence-failed") FENCE_FAILED,
    @JsonProperty("failover-failed") FAILOVER_FAILED,
    @JsonProperty("flapping") FLAPPING,
    @JsonProperty("server-failed") SERVER_FAILED,
    @JsonProperty("profile-down") PROFILE_DOWN,
    @JsonProperty("detector-brake") DETECTOR_BRAKE,
    /** A hot or preloaded spare heartbeats but its agent does not take orders: a failover onto it would fail. */
    @JsonProperty("spare-agent-unreachable") SPARE_AGENT_UNREACHABLE,
    /** "Standby failed to synchronize data": a copy to a spare failed or arrived corrupt; its good copies stay. */
    @JsonProperty("data-sync-failed") DATA_SYNC_FAILED,
    /** A spare has no room for two backups of each profile it stands by for. */
    @JsonProperty("standby-space-low") STANDBY_SPACE_LOW,
    /** Foreign equipment answers for a profile's alias address: the workload was not started. */
    @JsonProperty("address-conflict") ADDRESS_CONFLICT,
    /** Two servers of a group held a profile's alias at once; one side was told to give it up. */
    @JsonProperty("split-brain") SPLIT_BRAIN,
    /** Automatic jobs of a profile failed {@code retryLimit} times within {@code retryWindow}: no more are started. */
    @JsonProperty("automatic-jobs-held") AUTOMATIC_JOBS_HELD,
    /**
     * A failed server's profile has no qualified spare: the server is not fenced (unless it is confirmed off) and its
     * failover job waits, saying why each spare does not qualify, until one does.
     */
    @JsonProperty("profile-at-risk") PROFILE_AT_RISK,
    /** A server's agent reports fewer resources (or another model) than its configuration says: it is not chosen. */
    @JsonProperty("resources-mismatch") RESOURCES_MISMATCH,
    /** An idle cold spare stays powered on after every power-off order: it does not qualify until it is off. */
    @JsonProperty("cold-spare-running") COLD_SPARE_RUNNING,
    /** A hook failed every attempt its configuration allows for an event: that event is not delivered to it. */
    @JsonProperty("hook-failing") HOOK_FAILING,
    /**
     * A control-plane member answers the leader but has not reached the commit index of a while ago: it is not fed
     * (the leader's step-downs did not help, or its disk cannot keep up). The group runs on its majority meanwhile.
     */
    @JsonProperty("control-plane-member-behind") CONTROL_PLANE_MEMBER_BEHIND,
    /**
     * Ordered boot: a profile's workload has waited longer than its group's boot timeout for the profiles it starts
     * after (its {@code after}) to run. It goes on waiting; the alarm clears once it starts.
     */
    @JsonProperty("boot-order-waiting") BOOT_ORDER_WAITING,
    /** A lockstep profile's primary runs without its twin (down, not answering, or not holding the pair's inputs). */
    @JsonProperty("lockstep-degraded") LOCKSTEP_DEGRADED,
    /** A member of a lockstep pair found its state digest differs from the leader's at a digest point. */
    @JsonProperty("lockstep-divergence") LOCKSTEP_DIVERGENCE;

    public String wire() {
        return name().toLowerCase().replace('_', '-');
    }
}

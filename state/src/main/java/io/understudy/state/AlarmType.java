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
    @JsonProperty("spare-agent-unreachable") SPARE_AGENT_UNREACHABLE;

    public String wire() {
        return name().toLowerCase().replace('_', '-');
    }
}

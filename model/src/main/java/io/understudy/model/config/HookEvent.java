package io.understudy.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The moments at which understudy tells the outside world what it does (orchestrator's pre/post-failover processes,
 * keepalived's notify scripts). Only the {@code pre-} hooks may stop what is about to happen; the others are told
 * after the fact and their result is only recorded.
 */
public enum HookEvent {
    @JsonProperty("pre-failover") PRE_FAILOVER,
    @JsonProperty("post-failover") POST_FAILOVER,
    @JsonProperty("failover-failed") FAILOVER_FAILED,
    /** Fires once planned moves exist; accepted in configuration now so files need not change then. */
    @JsonProperty("pre-move") PRE_MOVE,
    /** Fires once planned moves exist. */
    @JsonProperty("post-move") POST_MOVE,
    @JsonProperty("fallback") FALLBACK,
    @JsonProperty("alarm-raised") ALARM_RAISED,
    @JsonProperty("alarm-cleared") ALARM_CLEARED;

    /** Whether a hook of this event runs before the action and a failure of it stops the action. */
    public boolean veto() {
        return this == PRE_FAILOVER || this == PRE_MOVE;
    }

    public String wire() {
        return name().toLowerCase().replace('_', '-');
    }

    /** The event named {@code wire} ({@code post-failover}), or an error naming the valid ones. */
    public static HookEvent parse(String wire) {
        for (HookEvent e : values()) if (e.wire().equals(wire)) return e;
        throw new IllegalArgumentException("unknown hook event '" + wire + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(HookEvent::wire).toList());
    }
}

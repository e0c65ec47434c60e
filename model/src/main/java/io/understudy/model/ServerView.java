package io.understudy.model;

import io.understudy.model.config.ServerSpec;

/**
 * A server as policies see it: its spec, its group, its state, which profile it runs (or null), whether it is a
 * spare of its group right now, which job holds it reserved (or null), and the resources its agent last reported (or
 * null when it has not), and whether an operator drained it for maintenance (nothing lands there).
 */
public record ServerView(ServerSpec spec, String group, ServerState state, String profile, boolean spare, Long reservedBy,
                         Resources reported, boolean drained) {
    /** A server whose agent has reported no resources. */
    public ServerView(ServerSpec spec, String group, ServerState state, String profile, boolean spare, Long reservedBy) {
        this(spec, group, state, profile, spare, reservedBy, null, false);
    }

    /** A server not drained. */
    public ServerView(ServerSpec spec, String group, ServerState state, String profile, boolean spare, Long reservedBy, Resources reported) {
        this(spec, group, state, profile, spare, reservedBy, reported, false);
    }

    public String id() {
        return spec.id();
    }

    public ServerView with(ServerState newState, String newProfile, Long newReservedBy) {
        return new ServerView(spec, group, newState, newProfile, spare, newReservedBy, reported, drained);
    }

    /** What the server can be counted on for: configured, lowered to what its agent reported. */
    public Resources offers() {
        return Resources.configured(spec).counting(reported);
    }
}

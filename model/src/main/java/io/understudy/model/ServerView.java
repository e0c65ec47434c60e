package io.understudy.model;

import io.understudy.model.config.ServerSpec;

/**
 * A server as policies see it: its spec, its group, its state, which profile it runs (or null), whether it is a
 * spare of its group right now, and which job holds it reserved (or null).
 */
public record ServerView(ServerSpec spec, String group, ServerState state, String profile, boolean spare, Long reservedBy) {
    public String id() {
        return spec.id();
    }

    public ServerView with(ServerState newState, String newProfile, Long newReservedBy) {
        return new ServerView(spec, group, newState, newProfile, spare, newReservedBy);
    }
}

package io.understudy.state.command;

import java.time.Instant;

/** Locks a profile to a server (no failover or fallback moves it), or unlocks it when {@code server} is null. */
public record LockProfile(String profile, String server, String by, Instant at) implements Command {}

package io.understudy.state.command;

import java.time.Instant;

/** A job read the server's power state back as off through its BMC: the server is fenced (invariant 2). */
public record ConfirmFence(long job, String server, String how, Instant at) implements Command {}

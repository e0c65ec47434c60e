package io.understudy.state.command;

import java.time.Instant;

/** Puts a group in or out of maintenance: a group in maintenance starts no automatic job. */
public record SetMaintenance(String group, boolean on, String by, Instant at) implements Command {}

package io.understudy.state.command;

import java.time.Instant;

/** Drains a server for maintenance (nothing lands there) or ends it; who asked is kept in the change log. */
public record SetDrain(String server, boolean on, String by, Instant at) implements Command {}

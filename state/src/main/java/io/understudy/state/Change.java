package io.understudy.state;

import java.time.Instant;

/** An operator's or a policy's change to the running system (configuration, maintenance, lock), for the audit trail. */
public record Change(Instant at, String by, String text) {}

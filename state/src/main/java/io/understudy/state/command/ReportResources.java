package io.understudy.state.command;

import io.understudy.model.Resources;
import java.time.Instant;

/**
 * A server's agent reports other resources than the state records for it. The leader submits this only when the
 * report differs from the record, never once per heartbeat; the state machine records it and raises or clears
 * {@code resources-mismatch}.
 */
public record ReportResources(String server, Resources reported, Instant at) implements Command {}

package io.understudy.state.command;

import io.understudy.model.ServerState;
import java.time.Instant;

/** The detector or a job saw a server change state (never to FENCED: that takes a {@link ConfirmFence}). */
public record ObserveServer(String server, ServerState state, String reason, Instant at) implements Command {}

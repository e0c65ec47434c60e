package io.understudy.state.command;

import io.understudy.state.AlarmType;
import java.time.Instant;

/** Clears the open alarm of this type and subject, if any. */
public record ClearAlarm(AlarmType alarm, String subject, Instant at) implements Command {}

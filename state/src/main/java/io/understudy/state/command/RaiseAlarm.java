package io.understudy.state.command;

import io.understudy.state.AlarmType;
import java.time.Instant;

/** Raises an alarm; an open alarm of the same type and subject is kept and its text updated. */
public record RaiseAlarm(AlarmType alarm, String subject, String text, Instant at) implements Command {}

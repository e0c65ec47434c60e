package io.understudy.state.command;

import java.time.Instant;

/**
 * The result of one attempt to deliver hook event {@code event} to hook {@code hook}, recorded after the attempt:
 * a delivered event is never sent again, and a new leader counts the attempts (and their back-off) from here.
 *
 * @param result what the hook returned (exit status and output, HTTP status), kept short
 */
public record RecordHookAttempt(long event, String hook, boolean delivered, String result, Instant at) implements Command {}

package io.understudy.system.chaos;

import java.time.Instant;

/** A fault the harness applied (or undid) during a trial, as it went: the history's record of what was done. */
record Injection(Instant at, Fault fault, boolean undo, String outcome) {}

package io.understudy.sim;

import java.time.Instant;

/**
 * An invariant the hardware's own history shows broken.
 *
 * @param invariant the invariant's number in the design ("1", "2")
 * @param at        when the hardware broke it
 * @param seq       the {@link HardwareEvent#seq} of the event that broke it
 */
public record HardwareViolation(String invariant, Instant at, long seq, String message) {}

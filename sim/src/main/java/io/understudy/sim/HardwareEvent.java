package io.understudy.sim;

import java.time.Instant;
import java.util.List;

/**
 * One change of the simulated hardware's truth, as the hardware itself saw it (not as any control plane believed it):
 * the ground truth that fault campaigns check the invariants against.
 *
 * @param seq     1, 2, 3… in the order the changes happened
 * @param at      the data center's scheduler time of the change
 * @param kind    one of the kinds below
 * @param server  the server that changed; null for {@link #HOLDERS}
 * @param profile the profile concerned (identity, workload, holders); null where none is
 * @param holders for {@link #HOLDERS} only: every server holding the profile's identity from now on; else null
 * @param detail  the cause ({@code ordered}, {@code released}, {@code power-off}, a fault's wire name…); null where none
 */
public record HardwareEvent(long seq, Instant at, String kind, String server, String profile, List<String> holders,
                            String detail) {
    /** A power-on began (a BMC order, or a repair powering the server back). */
    public static final String POWER_ON_ORDERED = "power-on-ordered";
    /** Power reached the server; it boots now. */
    public static final String POWER_ON = "power-on";
    /** The server finished booting: its agent is up, the identity its bay carries is live. */
    public static final String POWERED_ON = "powered-on";
    /** The server lost power (or a power-on under way was cut): detail {@code ordered}, {@code power-loss}, {@code repair}… */
    public static final String POWER_OFF = "power-off";
    public static final String IDENTITY_ON = "identity-on";
    /** Detail says how: {@code released} by order, {@code power-off}, {@code self-fence}, {@code adopted}. */
    public static final String IDENTITY_OFF = "identity-off";
    public static final String WORKLOAD_ON = "workload-on";
    public static final String WORKLOAD_OFF = "workload-off";
    /** An isolated agent fenced itself after its group's self-fence timeout. */
    public static final String SELF_FENCE = "self-fence";
    /** A fault was injected; detail is its wire name. */
    public static final String FAULT = "fault";
    /** The operator repaired the server: faults cleared. */
    public static final String REPAIR = "repair";
    /** The set of servers holding a profile's identity changed ({@link SimDataCenter#holders}'s rule). */
    public static final String HOLDERS = "holders";

    public HardwareEvent {
        holders = holders == null ? null : List.copyOf(holders);
    }
}

package io.understudy.sim;

import java.util.Locale;

/** Faults the simulator can inject into a server. */
public enum Fault {
    /** The OS dies: agent and workload stop, power stays on, the BMC reports critical health. */
    CRASH,
    /** Heartbeats stop, power stays on, the BMC sees nothing wrong. */
    HANG,
    /** The server loses power; its BMC (on auxiliary power) answers and reports it off. */
    POWER_LOSS,
    /** The BMC stops answering; the server itself runs on. */
    BMC_DOWN,
    /** The agent and BMC report an uncorrectable memory error; the server runs on, degraded. */
    HW_EVENT,
    /** The BMC accepts power orders and does nothing: a fence must read back and fail. */
    STUCK_POWER,
    /**
     * The server's network is cut from the control plane: no heartbeat arrives, no order reaches it, but it runs on.
     * Its agent fences itself (drops the identity, stops the workload) after the group's self-fence timeout.
     */
    ISOLATED;

    public static Fault parse(String mode) {
        try {
            return valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("expected a fault mode crash|hang|power-loss|bmc-down|hw-event|stuck-power|isolated, got '" + mode + "'");
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

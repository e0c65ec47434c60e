package io.understudy.engine.detect;

/**
 * What the detector concluded about a silent or reporting server, after asking its BMC out of band. The first three
 * are confirmed by the BMC; {@link #HUNG} and {@link #UNCONFIRMED} rest on silence alone, so the brake applies.
 */
public enum Verdict {
    HARDWARE_EVENT("hardware event reported"),
    POWERED_OFF("heartbeat lost; BMC reports power off"),
    OS_CRASHED("heartbeat lost; BMC reports critical health"),
    HUNG("heartbeat lost; BMC reports power on and healthy: OS hung"),
    UNCONFIRMED("heartbeat lost; BMC unreachable, failure not confirmed");

    private final String text;

    Verdict(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public boolean confirmedByBmc() {
        return this == HARDWARE_EVENT || this == POWERED_OFF || this == OS_CRASHED;
    }

    public String wire() {
        return name().toLowerCase().replace('_', '-');
    }
}

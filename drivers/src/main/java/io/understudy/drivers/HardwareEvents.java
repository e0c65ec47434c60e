package io.understudy.drivers;

import java.time.Instant;

/**
 * Where a BMC event subscriber reports hardware events; the engine hooks it to
 * {@link AgentListener#hardwareEvent}, so a BMC's alert marks the server failed without waiting for heartbeats.
 */
@FunctionalInterface
public interface HardwareEvents {
    void hardwareEvent(String server, String text, Instant at);
}

package io.understudy.engine;

import java.time.Duration;

/**
 * The engine's own timings, beside their defaults. Per-group timings (heartbeat, failure timeout, fence and boot
 * timeouts) live in the group policy instead.
 *
 * @param tick how often the leader looks at detection, jobs, fallback and capacity
 * @param poll how often a waiting step re-checks (power state, boot, workload)
 * @param probeEvery how often servers without heartbeats (cold spares) are probed through their BMC
 * @param brakeShare the share of servers that may look dead without BMC confirmation before the detector brakes
 */
public record EngineSettings(Duration tick, Duration poll, Duration probeEvery, double brakeShare, int brakeMinimum) {
    public static final EngineSettings DEFAULTS = new EngineSettings(Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofSeconds(10), 0.5, 3);
}

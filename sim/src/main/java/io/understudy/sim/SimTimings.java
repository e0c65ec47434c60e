package io.understudy.sim;

import java.time.Duration;

/**
 * How long simulated hardware takes. Defaults feel like blades: a BMC power-off lands within two seconds, a cold
 * boot takes ninety.
 */
public record SimTimings(Duration powerOff, Duration powerOn, Duration boot, Duration identityApply,
                         Duration workloadStart) {
    public static final SimTimings DEFAULTS = new SimTimings(Duration.ofMillis(1500), Duration.ofMillis(500),
            Duration.ofSeconds(90), Duration.ofMillis(200), Duration.ofSeconds(2));

    /** Fast hardware for tests that are not about timing. */
    public static final SimTimings FAST = new SimTimings(Duration.ofMillis(100), Duration.ofMillis(100),
            Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(200));
}

package io.understudy.model.config;

import java.time.Duration;

/**
 * A group's failover policy. Every field has a default so a YAML file names only what it changes.
 *
 * @param anticipatedFailures how many regular servers may fail at once; the spare pool is checked against it
 * @param preempt a better-priority failure may take the spare of a worse-priority profile
 * @param serializeJobs one job at a time in the group, as VCEM does
 * @param fallbackHoldDown how long a home server must stay healthy before automatic fallback
 * @param fallbackLimit automatic fallbacks allowed per {@code fallbackWindow} before the profile is held (flapping)
 */
public record GroupPolicy(
        ProtectionLevel protection,
        EventHandling eventHandling,
        Duration heartbeatInterval,
        Duration failureTimeout,
        Integer anticipatedFailures,
        Boolean preempt,
        Boolean serializeJobs,
        Duration fenceTimeout,
        Duration bootTimeout,
        Duration verifyTimeout,
        Integer verifyRechecks,
        Duration fallbackHoldDown,
        Integer fallbackLimit,
        Duration fallbackWindow) {

    public static final GroupPolicy DEFAULTS = new GroupPolicy(null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    public GroupPolicy {
        if (protection == null) protection = ProtectionLevel.COLD;
        if (eventHandling == null) eventHandling = EventHandling.AUTO_FAILOVER;
        if (heartbeatInterval == null) heartbeatInterval = Duration.ofSeconds(1);
        if (failureTimeout == null) failureTimeout = Duration.ofSeconds(5);
        if (anticipatedFailures == null) anticipatedFailures = 1;
        if (preempt == null) preempt = false;
        if (serializeJobs == null) serializeJobs = false;
        if (fenceTimeout == null) fenceTimeout = Duration.ofSeconds(60);
        if (bootTimeout == null) bootTimeout = Duration.ofMinutes(10);
        if (verifyTimeout == null) verifyTimeout = Duration.ofSeconds(60);
        if (verifyRechecks == null) verifyRechecks = 5;
        if (fallbackHoldDown == null) fallbackHoldDown = Duration.ofMinutes(5);
        if (fallbackLimit == null) fallbackLimit = 3;
        if (fallbackWindow == null) fallbackWindow = Duration.ofHours(24);
    }
}

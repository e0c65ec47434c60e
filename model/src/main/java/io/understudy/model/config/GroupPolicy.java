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
 * @param backupInterval how often the agent of a profile's current server backs up its data directory
 * @param syncInterval the longest a spare's copy may go without a sync (a sync also follows every backup)
 * @param selfFenceTimeout an agent that has not reached a majority of the control plane for this long stops its
 *                         workloads and drops its aliases; null: agents never fence themselves
 * @param fenceWithoutBmc when the BMC cannot fence a server, treat it as fenced once it has been silent for twice
 *                        {@code selfFenceTimeout} (it has surely fenced itself); off by default: the BMC fence stays
 * @param splitBrainYield which side drops the alias when two servers of the group hold it
 * @param retryBackoff after an automatic job (failover or fallback) of a profile fails, the next automatic one of
 *                     that kind waits this long, doubled after each further failure
 * @param retryLimit automatic jobs of one kind that may fail for a profile within {@code retryWindow}; then no more
 *                   are started (an {@code automatic-jobs-held} alarm) until an operator acts or the window passes
 * @param retryWindow how long a failed automatic job counts against {@code retryLimit}
 * @param fenceFirst VCEM's step order: fence the failed server before a spare is chosen. Off by default: a qualified
 *                   spare is reserved first, and a server no spare can replace is not powered off (it may only be
 *                   slow or rebooting); its profile is reported at risk until a spare qualifies
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
        Duration fallbackWindow,
        Duration backupInterval,
        Duration syncInterval,
        Duration selfFenceTimeout,
        Boolean fenceWithoutBmc,
        SplitBrainYield splitBrainYield,
        Duration retryBackoff,
        Integer retryLimit,
        Duration retryWindow,
        Boolean fenceFirst) {

    public static final GroupPolicy DEFAULTS = new GroupPolicy(null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    public GroupPolicy(ProtectionLevel protection, EventHandling eventHandling, Duration heartbeatInterval,
                       Duration failureTimeout, Integer anticipatedFailures, Boolean preempt, Boolean serializeJobs,
                       Duration fenceTimeout, Duration bootTimeout, Duration verifyTimeout, Integer verifyRechecks,
                       Duration fallbackHoldDown, Integer fallbackLimit, Duration fallbackWindow, Duration backupInterval,
                       Duration syncInterval, Duration selfFenceTimeout, Boolean fenceWithoutBmc,
                       SplitBrainYield splitBrainYield) {
        this(protection, eventHandling, heartbeatInterval, failureTimeout, anticipatedFailures, preempt, serializeJobs,
                fenceTimeout, bootTimeout, verifyTimeout, verifyRechecks, fallbackHoldDown, fallbackLimit, fallbackWindow,
                backupInterval, syncInterval, selfFenceTimeout, fenceWithoutBmc, splitBrainYield, null, null, null, null);
    }

    /** Which side of a split brain gives the alias up; the other keeps serving. */
    public enum SplitBrainYield {
        /** The profile's home server yields (it is the one that was cut off and came back): the default. */
        @com.fasterxml.jackson.annotation.JsonProperty("regular") REGULAR,
        @com.fasterxml.jackson.annotation.JsonProperty("spare") SPARE
    }

    public GroupPolicy(ProtectionLevel protection, EventHandling eventHandling, Duration heartbeatInterval,
                       Duration failureTimeout, Integer anticipatedFailures, Boolean preempt, Boolean serializeJobs,
                       Duration fenceTimeout, Duration bootTimeout, Duration verifyTimeout, Integer verifyRechecks,
                       Duration fallbackHoldDown, Integer fallbackLimit, Duration fallbackWindow) {
        this(protection, eventHandling, heartbeatInterval, failureTimeout, anticipatedFailures, preempt, serializeJobs,
                fenceTimeout, bootTimeout, verifyTimeout, verifyRechecks, fallbackHoldDown, fallbackLimit, fallbackWindow,
                null, null, null, null, null, null, null, null, null);
    }

    /** The same policy with the automatic jobs' back-off and cap set (null keeps the default). */
    public GroupPolicy withRetries(Duration backoff, Integer limit, Duration window) {
        return new GroupPolicy(protection, eventHandling, heartbeatInterval, failureTimeout, anticipatedFailures, preempt,
                serializeJobs, fenceTimeout, bootTimeout, verifyTimeout, verifyRechecks, fallbackHoldDown, fallbackLimit,
                fallbackWindow, backupInterval, syncInterval, selfFenceTimeout, fenceWithoutBmc, splitBrainYield, backoff,
                limit, window, fenceFirst);
    }

    /** The same policy with VCEM's step order on or off. */
    public GroupPolicy withFenceFirst(boolean v) {
        return new GroupPolicy(protection, eventHandling, heartbeatInterval, failureTimeout, anticipatedFailures, preempt,
                serializeJobs, fenceTimeout, bootTimeout, verifyTimeout, verifyRechecks, fallbackHoldDown, fallbackLimit,
                fallbackWindow, backupInterval, syncInterval, selfFenceTimeout, fenceWithoutBmc, splitBrainYield, retryBackoff,
                retryLimit, retryWindow, v);
    }

    /** How long a silent server must have been silent before it has surely fenced itself. */
    /** How long an automatic action waits after {@code failures} failed attempts: {@code retryBackoff}, doubled each time. */
    public Duration backoff(int failures) {
        return retryBackoff.multipliedBy(1L << Math.min(Math.max(failures, 0), 20));
    }

    public Duration selfFencedAfter() {
        return selfFenceTimeout == null ? null : selfFenceTimeout.multipliedBy(2);
    }

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
        if (backupInterval == null) backupInterval = Duration.ofHours(1);
        if (syncInterval == null) syncInterval = Duration.ofHours(24);
        if (fenceWithoutBmc == null) fenceWithoutBmc = false;
        if (splitBrainYield == null) splitBrainYield = SplitBrainYield.REGULAR;
        if (retryBackoff == null) retryBackoff = Duration.ofSeconds(30);
        if (retryLimit == null) retryLimit = 3;
        if (retryWindow == null) retryWindow = Duration.ofHours(1);
        if (fenceFirst == null) fenceFirst = false;
    }
}

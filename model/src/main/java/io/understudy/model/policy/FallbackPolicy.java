package io.understudy.model.policy;

import io.understudy.model.ServerState;
import io.understudy.model.config.FallbackMode;
import io.understudy.model.config.GroupPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a profile running away from home goes back. Automatic fallback waits until home has been healthy for the
 * hold-down time, and never flaps: past {@code fallbackLimit} fallbacks within {@code fallbackWindow} the profile
 * is held on the spare and an alarm says why (invariant 6).
 */
public final class FallbackPolicy {
    private FallbackPolicy() {}

    public enum Verdict { FALL_BACK, WAIT, HOLD_FLAPPING, NOT_ELIGIBLE }

    public record Decision(Verdict verdict, String reason, Instant retryAt) {
        static Decision of(Verdict v, String reason) {
            return new Decision(v, reason, null);
        }
    }

    /**
     * @param homeState the home server's state
     * @param healthySince when home became healthy (RUNNING), or null
     * @param recentFallbacks times of earlier fallbacks of this profile
     * @param locked whether the profile is locked to its current server
     */
    public static Decision decideAutomatic(FallbackMode mode, GroupPolicy policy, boolean awayFromHome,
                                           boolean locked, ServerState homeState, Instant healthySince,
                                           List<Instant> recentFallbacks, Instant now) {
        if (!awayFromHome) return Decision.of(Verdict.NOT_ELIGIBLE, "already at home");
        if (mode != FallbackMode.AUTOMATIC) return Decision.of(Verdict.NOT_ELIGIBLE, "fallback is manual");
        if (locked) return Decision.of(Verdict.NOT_ELIGIBLE, "profile is locked");
        if (homeState != ServerState.RUNNING || healthySince == null) {
            return Decision.of(Verdict.NOT_ELIGIBLE, "home server is " + homeState.wire());
        }
        Instant windowStart = now.minus(policy.fallbackWindow());
        long inWindow = recentFallbacks.stream().filter(t -> t.isAfter(windowStart)).count();
        if (inWindow >= policy.fallbackLimit()) {
            return Decision.of(Verdict.HOLD_FLAPPING, inWindow + " fallbacks within " + human(policy.fallbackWindow())
                    + " (limit " + policy.fallbackLimit() + "): held on the spare until an operator falls back");
        }
        Instant ready = healthySince.plus(policy.fallbackHoldDown());
        if (now.isBefore(ready)) {
            return new Decision(Verdict.WAIT, "home healthy since " + healthySince + ", hold-down "
                    + human(policy.fallbackHoldDown()), ready);
        }
        return Decision.of(Verdict.FALL_BACK, "home healthy for " + human(Duration.between(healthySince, now))
                + " (hold-down " + human(policy.fallbackHoldDown()) + ")");
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0 && s > 0) return s / 3600 + "h";
        if (s % 60 == 0 && s > 0) return s / 60 + "m";
        return s + "s";
    }
}

package io.understudy.model.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.config.FallbackMode;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.policy.FallbackPolicy.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackPolicyTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final GroupPolicy POLICY = GroupPolicy.DEFAULTS; // hold-down 5m, 3 per 24h

    @Test
    void automatic_beforeHoldDown_waitsUntilItEnds() {
        var d = FallbackPolicy.decideAutomatic(FallbackMode.AUTOMATIC, POLICY, true, false, ServerState.RUNNING, NOW.minusSeconds(60), List.of(), NOW);
        assertThat(d.verdict()).isEqualTo(Verdict.WAIT);
        assertThat(d.retryAt()).isEqualTo(NOW.plusSeconds(240));
    }

    @Test
    void automatic_afterHoldDown_fallsBack() {
        var d = FallbackPolicy.decideAutomatic(FallbackMode.AUTOMATIC, POLICY, true, false, ServerState.RUNNING, NOW.minus(Duration.ofMinutes(6)), List.of(), NOW);
        assertThat(d.verdict()).isEqualTo(Verdict.FALL_BACK);
    }

    @Test
    void automatic_pastLimitInWindow_holdsWithReason() {
        var d = FallbackPolicy.decideAutomatic(FallbackMode.AUTOMATIC, POLICY, true, false, ServerState.RUNNING, NOW.minus(Duration.ofHours(1)),
                List.of(NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(1))), NOW);
        assertThat(d.verdict()).isEqualTo(Verdict.HOLD_FLAPPING);
        assertThat(d.reason()).startsWith("3 fallbacks within 24h (limit 3)");
    }

    @Test
    void automatic_oldFallbacksOutsideWindow_doNotCount() {
        var d = FallbackPolicy.decideAutomatic(FallbackMode.AUTOMATIC, POLICY, true, false, ServerState.RUNNING, NOW.minus(Duration.ofHours(1)),
                List.of(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofHours(25))), NOW);
        assertThat(d.verdict()).isEqualTo(Verdict.FALL_BACK);
    }

    @Test
    void manualLockedOrHomeDown_areNotEligible() {
        assertThat(FallbackPolicy.decideAutomatic(FallbackMode.MANUAL, POLICY, true, false, ServerState.RUNNING, NOW, List.of(), NOW).reason()).isEqualTo("fallback is manual");
        assertThat(FallbackPolicy.decideAutomatic(FallbackMode.AUTOMATIC, POLICY, true, true, ServerState.RUNNING, NOW, List.of(), NOW).reason()).isEqualTo("profile is locked");
        assertThat(FallbackPolicy.decideAutomatic(FallbackMode.AUTOMATIC, POLICY, true, false, ServerState.FENCED, null, List.of(), NOW).reason()).isEqualTo("home server is fenced");
    }
}

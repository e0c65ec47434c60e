package io.understudy.engine.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.PairDriver.PairStatus;
import org.junit.jupiter.api.Test;

class TwinCheckTest {
    static PairStatus primary(long seq) {
        return new PairStatus(seq, "p", true, null, "a", 0);
    }

    static PairStatus twin(long seq, String leader, long deafMillis) {
        return new PairStatus(seq, "t", false, null, leader, deafMillis);
    }

    /** Regression (demo pair under load): seq 0 against 24, the leader heard, was called paired; the primary then crashed. */
    @Test
    void aTwinThatHeardItsLeaderButHoldsNothingYet_isNotLevel_untilItHoldsWhatThePrimaryHadAtTheLastLook() {
        assertThat(TwinCheck.level(primary(24), twin(0, "a", 0), null)).as("no earlier look: not proven").isFalse();
        assertThat(TwinCheck.level(primary(30), twin(0, "a", 0), 24L)).as("fed nothing since").isFalse();
        assertThat(TwinCheck.level(primary(34), twin(24, "a", 0), 30L)).isFalse();
        assertThat(TwinCheck.level(primary(40), twin(31, "a", 0), 30L)).isTrue();
        assertThat(TwinCheck.level(primary(40), twin(40, null, 800), 30L)).as("hears no leader").isFalse();
        assertThat(TwinCheck.level(primary(5_000), twin(3_000, "a", 0), 2_900L)).as("too far behind").isFalse();
    }

    @Test
    void trouble_aDivergenceAtOnce_deafOnlyPastTheWaitAndFarBehind_aLaggingTwinThatHearsItsLeaderIsNone() {
        long wait = TwinCheck.DEAF_FOR.toMillis();
        assertThat(TwinCheck.trouble("b", primary(100), new PairStatus(90, "x", false, 80L, "a", 0))).contains("diverged at input 80");
        assertThat(TwinCheck.trouble("b", primary(5_000), twin(12, null, wait - 1))).isNull();
        assertThat(TwinCheck.trouble("b", primary(5_000), twin(12, null, wait))).contains("has heard no leader for").contains("4988 inputs ahead");
        assertThat(TwinCheck.trouble("b", primary(500), twin(12, null, wait))).as("close enough: it catches up by itself").isNull();
        assertThat(TwinCheck.trouble("b", primary(5_000), twin(12, "a", 0))).as("fed, just behind").isNull();
        assertThat(TwinCheck.trouble("b", new PairStatus(5_000, "p", false, null, null, 0), twin(12, null, wait))).as("nobody leads: an election, not the twin").isNull();
    }
}

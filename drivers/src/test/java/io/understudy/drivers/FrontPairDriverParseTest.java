package io.understudy.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The front's status line read, and a line that is not one named. (Real members: lockstep FrontPairDriverTest.) */
class FrontPairDriverParseTest {
    @Test
    void statusLine_withADivergence_isRead() throws Exception {
        var s = FrontPairDriver.parse("t", "ok seq=42 digest=ab12 leading=false divergence=40 leader=a deaf=0 id=b");
        assertThat(s).isEqualTo(new PairDriver.PairStatus(42, "ab12", false, 40L, "a", 0));
        assertThat(FrontPairDriver.parse("t", "ok seq=42 digest=ab12 leading=false divergence=none leader=none deaf=12500 id=b"))
                .extracting(PairDriver.PairStatus::leader, PairDriver.PairStatus::deafMillis).containsExactly(null, 12_500L);
    }

    @Test
    void errorLine_orGarbage_isAFailureNamingWhatCame() {
        assertThatThrownBy(() -> FrontPairDriver.parse("t", "error not leader")).isInstanceOf(DriverException.class)
                .hasMessageContaining("answered \"error not leader\", expected \"ok seq=");
        assertThatThrownBy(() -> FrontPairDriver.parse("t", "ok seq=x digest=a leading=true divergence=none")).isInstanceOf(DriverException.class)
                .hasMessageContaining("answered \"ok seq=x");
        assertThatThrownBy(() -> FrontPairDriver.parse("t", null)).isInstanceOf(DriverException.class);
    }
}

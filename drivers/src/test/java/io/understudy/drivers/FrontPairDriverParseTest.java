package io.understudy.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The front's status line read, and a line that is not one named. (Real members: lockstep FrontPairDriverTest.) */
class FrontPairDriverParseTest {
    @Test
    void statusLine_withADivergence_isRead() throws Exception {
        var s = FrontPairDriver.parse("t", "ok seq=42 digest=ab12 leading=false divergence=40 leader=a id=b");
        assertThat(s).isEqualTo(new PairDriver.PairStatus(42, "ab12", false, 40L, "a"));
        assertThat(FrontPairDriver.parse("t", "ok seq=42 digest=ab12 leading=false divergence=none leader=none id=b").leader()).isNull();
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

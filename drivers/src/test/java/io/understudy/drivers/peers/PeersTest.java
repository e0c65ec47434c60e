package io.understudy.drivers.peers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PeersTest {
    @Test
    void require_missingTool_skipsOrInCiFails() {
        Class<? extends Throwable> expected = "1".equals(System.getenv(Peers.REQUIRE)) ? AssertionFailedError.class : TestAbortedException.class;
        assertThatThrownBy(() -> Peers.require("ipmitool", "no-such-bmc-tool")).isInstanceOf(expected)
                .hasMessageContaining("not installed: [no-such-bmc-tool]");
    }
}

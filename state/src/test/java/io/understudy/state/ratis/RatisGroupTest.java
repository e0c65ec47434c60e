package io.understudy.state.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Ratis properties every node runs with. */
class RatisGroupTest {
    @Test
    void composedAppendsAreOff_aFollowerAcknowledgedAnEntryItNeverWrote(@TempDir Path dir) {
        // Campaign seed 20261202, trial 20: see org.apache.ratis.server.impl.ComposedAppendTest for the behaviour.
        assertThat(RaftServerConfigKeys.Log.appendEntriesComposeEnabled(RatisGroup.serverProperties(RatisTestSupport.singleNode(dir)))).isFalse();
    }
}

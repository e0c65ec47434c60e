package io.understudy.state.ratis;

import io.understudy.state.StateStore;
import io.understudy.state.StateStoreContract;
import java.nio.file.Path;
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A single-node Ratis store meets the same contract as the in-memory one. */
class RatisStateStoreContractTest extends StateStoreContract {
    @TempDir
    Path dir;

    @BeforeAll
    static void keepJvmAlive() {
        ExitUtils.disableSystemExit();
    }

    @Override
    protected StateStore open() throws Exception {
        return RatisStateStore.start(RatisTestSupport.singleNode(dir));
    }
}

package io.understudy.sim;

import io.understudy.model.config.Bmc;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.Enclosure;
import io.understudy.model.config.ServerSpec;
import java.util.List;

/** One enclosure with two servers, for driver tests that need a simulated BMC and nothing else. */
public final class TinyDataCenter {
    private TinyDataCenter() {}

    public static DataCenterConfig build() {
        return new DataCenterConfig("tiny", List.of(new Enclosure("enc1", 2)), List.of(
                new ServerSpec("srv-1", "enc1/bay1", "srv1.mgmt", null, "BL460c", "G10", 16, 128, new Bmc("sim", "sim://enc1/bay1")),
                new ServerSpec("srv-2", "enc1/bay2", "srv2.mgmt", null, "BL460c", "G9", 16, 128, new Bmc("sim", "sim://enc1/bay2"))),
                null, null);
    }
}

package io.understudy.bench;

import io.understudy.model.config.Bmc;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.Enclosure;
import io.understudy.model.config.EventHandling;
import io.understudy.model.config.FallbackMode;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.Requirements;
import io.understudy.model.config.ServerSpec;
import io.understudy.model.config.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A hot group of one regular server ({@code a}, home of profile {@code p}) and one spare ({@code s}), with the BMCs given. */
final class BmcDataCenter {
    private BmcDataCenter() {}

    static DataCenterConfig build(Map<String, Bmc> bmcs) {
        GroupPolicy hot = new GroupPolicy(ProtectionLevel.HOT, EventHandling.AUTO_FAILOVER, Duration.ofMillis(200),
                Duration.ofSeconds(1), 1, false, false, Duration.ofSeconds(30), null, Duration.ofSeconds(10), null, null, null, null);
        return new DataCenterConfig("bmc", List.of(new Enclosure("enc1", 2)), List.of(
                new ServerSpec("a", "enc1/bay1", "a.mgmt", null, "DL360", "Gen10", 24, 192, bmcs.getOrDefault("a", new Bmc("sim", "sim://enc1/bay1"))),
                new ServerSpec("s", "enc1/bay2", "s.mgmt", null, "DL360", "Gen10", 24, 192, bmcs.getOrDefault("s", new Bmc("sim", "sim://enc1/bay2")))),
                List.of(new GroupSpec("hot", List.of("a"), List.of("s"), hot)),
                List.of(new ProfileSpec("p", "hot", "a", new Identity("p", List.of("198.18.2.1/24"), List.of("02:00:00:00:02:01"), List.of()),
                        new Workload("nginx", null, null, null), new Requirements("DL360", 16, 64), 1, FallbackMode.MANUAL, null)));
    }
}

package io.understudy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.redfish.RedfishEventSubscriptions;
import io.understudy.model.config.Bmc;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ServerSpec;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.sim.redfish.RedfishService;
import io.understudy.sim.redfish.SelfSignedCertificate;
import io.understudy.testkit.DrivenScheduler;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node subscribes to every Redfish BMC's EventService; a BMC alert reaches the detector without heartbeats. */
class RedfishEventsTest {
    @TempDir
    Path dir;

    @Test
    void hardwareEventOnBmc_isPushedToTheSubscriber_forTheRightServer() throws Exception {
        DataCenterConfig demo = DemoDataCenter.build(2);
        DrivenScheduler clock = new DrivenScheduler();
        SimDataCenter sim = new SimDataCenter(demo, clock, SimTimings.FAST);
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir, "sim-bmc");
        Path password = dir.resolve("pw");
        Files.writeString(password, "pw-" + System.nanoTime());
        try (RedfishService redfish = new RedfishService(demo, sim, clock, Map.of("admin", Files.readString(password))).start(0, cert)) {
            // The same data center, its BMCs reached over Redfish.
            List<ServerSpec> servers = demo.servers().stream().map(s -> new ServerSpec(s.id(), s.location(), s.hostname(), s.address(),
                    s.model(), s.generation(), s.cores(), s.memoryGib(), new Bmc("redfish", redfish.endpoint(s.id()), "admin", null,
                    password.toString(), cert.sha256(), null, null, null, null, null, null))).toList();
            DataCenterConfig dc = new DataCenterConfig(demo.name(), demo.enclosures(), servers, demo.groups(), demo.profiles());
            List<String> events = new CopyOnWriteArrayList<>();
            try (RedfishEventSubscriptions subs = RedfishEventSubscriptions.start(dc, new InetSocketAddress("127.0.0.1", 0),
                    (server, text, at) -> events.add(server + ": " + text), Clock.systemUTC(), 1)) {
                assertThat(subs.outcome()).hasSize(dc.servers().size()).allSatisfy((id, result) -> assertThat(result).startsWith("subscribed"));
                sim.inject("dl-2", Fault.HW_EVENT);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (events.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(events).hasSize(1);
                assertThat(events.get(0)).startsWith("dl-2: ");
            }
        }
    }
}

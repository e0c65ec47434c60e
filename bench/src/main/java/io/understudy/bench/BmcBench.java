package io.understudy.bench;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerReading;
import io.understudy.drivers.fence.FenceAgentDriver;
import io.understudy.drivers.ipmi.IpmiDriver;
import io.understudy.drivers.redfish.RedfishDriver;
import io.understudy.model.config.Bmc;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.Enclosure;
import io.understudy.model.config.ServerSpec;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.sim.redfish.RedfishService;
import io.understudy.sim.redfish.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Time to confirmed power-off per BMC driver against real peers: from the power-off order until a read of the power
 * state says off (what the fence step waits for), polling every 20 ms. Redfish runs against the simulator's Redfish
 * service over HTTPS with a pinned certificate (simulated off delay 0, so only the driver's path is timed); IPMI and
 * fence_ipmilan against the ipmi_sim that {@code bench/bmc.sh} starts. Between trials the server is powered on again.
 *
 * <p>Run: {@code bench/bmc.sh [TRIALS]} (as root: it installs nothing but starts and stops ipmi_sim itself).
 */
public final class BmcBench {
    private static final CallContext CTX = new CallContext(1, 1L, "fence");

    public static void main(String[] args) throws Exception {
        int trials = Integer.parseInt(args[0]);
        String ipmiEndpoint = args[1];
        Path passwordFile = Path.of(args[2]);
        Path work = Files.createTempDirectory("bmc-bench");
        System.out.printf("time to confirmed power-off, %d trials per driver (power-off order -> read back off; poll every 20 ms)%n", trials);
        try (WallClockScheduler clock = new WallClockScheduler()) {
            DataCenterConfig dc = new DataCenterConfig("bench", List.of(new Enclosure("enc1", 1)), List.of(
                    new ServerSpec("srv-1", "enc1/bay1", "srv1", null, "BL460c", "G10", 16, 128, new Bmc("sim", "sim://enc1/bay1"))), null, null);
            SimTimings instant = new SimTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
            SimDataCenter sim = new SimDataCenter(dc, clock, instant);
            Path pw = work.resolve("redfish-pw");
            Files.writeString(pw, "bench-" + ProcessHandle.current().pid());
            SelfSignedCertificate cert = SelfSignedCertificate.create(work, "bench-bmc");
            try (RedfishService service = new RedfishService(dc, sim, clock, Map.of("admin", Files.readString(pw))).start(0, cert)) {
                Bmc redfish = new Bmc("redfish", service.endpoint("srv-1"), "admin", null, pw.toString(), cert.sha256(), null, null, null, null, null, null);
                measure("redfish (sim Redfish service, HTTPS, pinned)", new RedfishDriver(redfish), trials);
            }
            Bmc ipmi = new Bmc("ipmi", ipmiEndpoint, "admin", null, passwordFile.toString(), null, null, 3, null, null, null, null);
            measure("ipmi (ipmitool lanplus -C 3 vs ipmi_sim)", new IpmiDriver(ipmi), trials);
            for (String wait : List.of("2", "0")) {
                Bmc fence = new Bmc("fence-agent", ipmiEndpoint, "admin", null, passwordFile.toString(), null, null, null, "fence_ipmilan",
                        Map.of("lanplus", "1", "cipher", "3", "power_wait", wait), null, null);
                measure("fence_ipmilan vs ipmi_sim (power_wait=" + wait + (wait.equals("2") ? ", the agent's default" : "") + ")",
                        new FenceAgentDriver(fence), trials);
            }
        }
    }

    private static void measure(String name, PowerDriver d, int trials) throws DriverException, InterruptedException {
        List<Long> ms = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            d.powerOn("srv-1", CTX);
            await(d, PowerReading.Power.ON);
            long start = System.nanoTime();
            d.powerOff("srv-1", CTX);
            await(d, PowerReading.Power.OFF);
            ms.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(ms);
        System.out.printf("  %-62s median %5d ms  p95 %5d ms  min %5d ms  max %5d ms%n", name, ms.get(ms.size() / 2),
                ms.get((int) Math.ceil(ms.size() * 0.95) - 1), ms.get(0), ms.get(ms.size() - 1));
    }

    private static void await(PowerDriver d, PowerReading.Power want) throws DriverException, InterruptedException {
        for (int i = 0; i < 1500; i++) {
            if (d.read("srv-1", CTX).power() == want) return;
            Thread.sleep(20);
        }
        throw new IllegalStateException("power never read " + want);
    }
}

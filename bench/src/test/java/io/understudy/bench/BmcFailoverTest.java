package io.understudy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.DriverFactory;
import io.understudy.drivers.peers.IpmiSimPeer;
import io.understudy.drivers.peers.Peers;
import io.understudy.engine.Engine;
import io.understudy.engine.EngineListener;
import io.understudy.engine.EngineSettings;
import io.understudy.model.ServerState;
import io.understudy.model.config.Bmc;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.sim.Fault;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.sim.redfish.RedfishService;
import io.understudy.sim.redfish.SelfSignedCertificate;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.LocalStateStore;
import io.understudy.state.Step;
import io.understudy.state.command.ApplyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failover through the real engine on the simulator whose servers are fenced through each real BMC driver: Redfish
 * against the simulator's Redfish service; IPMI and fence_ipmilan against ipmi_sim, whose stand-in host is the
 * simulated server itself (its chassis control script speaks Redfish to the simulator). Real peers take real time,
 * so this runs on the wall clock with bounded waits.
 */
class BmcFailoverTest {
    @TempDir
    static Path certDir;
    static SelfSignedCertificate cert;

    @TempDir
    Path dir;
    final WallClockScheduler clock = new WallClockScheduler();
    final LocalStateStore store = new LocalStateStore();
    final ExecutorService steps = Executors.newFixedThreadPool(2);
    final List<AutoCloseable> peers = new ArrayList<>();
    final DataCenterConfig base = BmcDataCenter.build(Map.of());
    SimDataCenter sim;
    RedfishService redfish;
    Engine engine;
    Path password;

    @BeforeAll
    static void certificate() throws Exception {
        cert = SelfSignedCertificate.create(certDir, "sim-bmc");
    }

    @BeforeEach
    void simulator() throws Exception {
        sim = new SimDataCenter(base, clock, SimTimings.FAST);
        password = dir.resolve("redfish-password");
        Files.writeString(password, "pw-" + System.nanoTime());
        redfish = new RedfishService(base, sim, clock, Map.of("admin", Files.readString(password))).start(0, cert);
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) engine.leadershipLost();
        sim.stop();
        clock.close();
        steps.shutdownNow();
        for (AutoCloseable p : peers) p.close();
        redfish.close();
    }

    private Bmc redfishBmc(String server, Path passwordFile) {
        return new Bmc("redfish", redfish.endpoint(server), "admin", null, passwordFile.toString(), cert.sha256(), null, null, null, null, null, null);
    }

    /** An ipmi_sim whose host is simulated server {@code server}: chassis power goes to the simulator over Redfish. */
    private IpmiSimPeer bridged(String server) throws Exception {
        Path d = Files.createDirectories(dir.resolve("ipmi-" + server));
        String script = """
                #!/usr/bin/python3
                # ipmi_sim chassis control for simulated server %s, through the simulator's Redfish service.
                import base64, json, ssl, sys, urllib.request
                URL = "%s"
                AUTH = "Basic " + base64.b64encode(b"admin:" + open("%s").read().strip().encode()).decode()
                TLS = ssl.create_default_context(cafile="%s")
                def call(method, path="", body=None):
                    req = urllib.request.Request(URL + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                                 headers={"Authorization": AUTH, "Content-Type": "application/json"})
                    with urllib.request.urlopen(req, context=TLS, timeout=5) as r:
                        data = r.read()
                        return json.loads(data) if data else None
                args = sys.argv[2:]
                if args[0] == "get":
                    print(" ".join("power:" + ("0" if call("GET")["PowerState"] == "Off" else "1") for n in args[1:] if n == "power"))
                elif args[0] == "set":
                    for name, value in zip(args[1::2], args[2::2]):
                        if name == "power":
                            call("POST", "/Actions/ComputerSystem.Reset", {"ResetType": "On" if value == "1" else "ForceOff"})
                """.formatted(server, redfish.endpoint(server), password, cert.pem());
        IpmiSimPeer peer = IpmiSimPeer.start(d, script);
        peers.add(peer);
        return peer;
    }

    private void start(DataCenterConfig config) {
        engine = new Engine(store, DriverFactory.forLab(() -> config, sim), clock, EngineSettings.DEFAULTS, steps, EngineListener.NONE);
        sim.addListener(engine.detector());
        var r = store.submit(new ApplyConfig(config, "test", clock.now()));
        assertThat(r.ok()).as(r.message()).isTrue();
        store.announceLeadership();
        sim.start();
        assertThat(await(() -> state("a") == ServerState.RUNNING && state("s") == ServerState.RUNNING, Duration.ofSeconds(10)))
                .as("both servers seen running").isTrue();
    }

    private ServerState state(String server) {
        return store.read(s -> s.server(server) == null ? ServerState.UNKNOWN : s.server(server).state());
    }

    private Job failover() {
        sim.inject("a", Fault.CRASH);
        assertThat(await(() -> store.read(s -> !s.jobs().isEmpty() && !s.jobs().iterator().next().active()), Duration.ofSeconds(40)))
                .as("failover job ended").isTrue();
        return store.read(s -> s.jobs().iterator().next());
    }

    private static boolean await(BooleanSupplier condition, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return true;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    private void assertFailedOverAfterFenceBy(Job job, String driver) {
        assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);
        Step fence = job.steps().stream().filter(s -> s.name().equals("fence")).findFirst().orElseThrow();
        assertThat(fence.message()).contains("power off confirmed by BMC (" + driver + ")");
        assertThat(sim.view("a").state()).as("the source is really off").isEqualTo("off");
        assertThat(sim.holders("p")).containsExactly("s");
    }

    @Test
    void failover_redfishBmcs_fencesThroughRedfishAndMovesTheProfile() {
        start(BmcDataCenter.build(Map.of("a", redfishBmc("a", password), "s", redfishBmc("s", password))));
        assertFailedOverAfterFenceBy(failover(), "redfish");
    }

    @Test
    void failover_ipmiBmcs_fencesThroughIpmitoolAndMovesTheProfile() throws Exception {
        Peers.require("ipmi_sim", "ipmitool", "python3");
        Map<String, Bmc> bmcs = new HashMap<>();
        for (String s : List.of("a", "s")) {
            IpmiSimPeer p = bridged(s);
            bmcs.put(s, p.ipmiBmc(p.passwordFile(), null));
        }
        start(BmcDataCenter.build(bmcs));
        assertFailedOverAfterFenceBy(failover(), "ipmi");
    }

    @Test
    void failover_fenceAgentBmcs_fencesThroughFenceIpmilanAndMovesTheProfile() throws Exception {
        Peers.require("ipmi_sim", "ipmitool", "fence_ipmilan", "python3");
        Map<String, Bmc> bmcs = new HashMap<>();
        for (String s : List.of("a", "s")) {
            IpmiSimPeer p = bridged(s);
            bmcs.put(s, p.fenceBmc(p.passwordFile(), Map.of("power_wait", "0")));
        }
        start(BmcDataCenter.build(bmcs));
        assertFailedOverAfterFenceBy(failover(), "fence-agent");
    }

    @Test
    void failover_wrongBmcPassword_failsTheFenceWithAnAuthAlarmAndMovesNothing() throws Exception {
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not-the-password");
        start(BmcDataCenter.build(Map.of("a", redfishBmc("a", wrong), "s", redfishBmc("s", password))));
        Job job = failover();
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.message()).startsWith("fence: ").contains("a: auth: BMC 127.0.0.1:" + redfish.port() + " refused the credentials of user 'admin' (HTTP 401)");
        java.util.Optional<io.understudy.state.Alarm> alarm = store.read(s -> s.openAlarm(AlarmType.FENCE_FAILED, "a"));
        assertThat(alarm).isPresent();
        assertThat(alarm.get().text()).contains("auth:");
        assertThat(sim.holders("p")).as("the unfenced source keeps its identity; the spare gets none").containsExactly("a");
        assertThat(job.message()).doesNotContain("not-the-password");
    }
}

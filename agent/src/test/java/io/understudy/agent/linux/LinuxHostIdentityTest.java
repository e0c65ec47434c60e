package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.config.FcPort;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.Workload;
import io.understudy.testkit.DrivenScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LinuxHost against the real kernel: hosts a and b and a client c in network namespaces on one bridge. */
class LinuxHostIdentityTest {
    private static final String ALIAS = "198.18.0.100";
    private static final Duration KERNEL = Duration.ofSeconds(3);

    private final DrivenScheduler scheduler = new DrivenScheduler();
    private NetNs net;
    private LinuxHost a;
    private LinuxHost b;

    @BeforeEach
    void lan() throws DriverException {
        NetNs.requireKernel();
        net = NetNs.create("a", "b", "c");
        a = LinuxHost.start(LinuxHostSettings.defaults(NetNs.DEV), net.runner("a"), scheduler);
        b = LinuxHost.start(LinuxHostSettings.defaults(NetNs.DEV), net.runner("b"), scheduler);
    }

    @AfterEach
    void teardown() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (net != null) net.close();
    }

    @Test
    void applyIdentity_clientReachesAliasAndLearnsHostsMac() throws Exception {
        a.applyIdentity(profile(ALIAS));

        assertThat(net.addresses("a")).contains(ALIAS + "/24");
        assertThat(net.ping("c", ALIAS)).as("client pings the alias").isTrue();
        assertThat(net.neighbour("c", ALIAS)).contains(net.mac("a"));
    }

    @Test
    void moveIdentity_clientsNeighbourEntryFollowsByGratuitousArp() throws Exception {
        ProfileSpec p = profile(ALIAS);
        a.applyIdentity(p);
        assertThat(net.ping("c", ALIAS)).isTrue();
        assertThat(net.neighbour("c", ALIAS)).contains(net.mac("a"));

        a.releaseIdentity(p);
        b.applyIdentity(p);

        // The client sends nothing in between: only b's gratuitous ARP can have changed its entry.
        String macB = net.mac("b");
        assertThat(NetNs.await(() -> net.neighbour("c", ALIAS).equals(Optional.of(macB)), KERNEL))
                .as("client's entry for the alias shows b's MAC %s, got %s", macB, net.neighbour("c", ALIAS)).isTrue();
        assertThat(net.addresses("a")).doesNotContain(ALIAS + "/24");
        assertThat(net.ping("c", ALIAS)).isTrue();
    }

    @Test
    void applyIdentity_twice_addsTheAddressOnce() throws Exception {
        ProfileSpec p = profile(ALIAS, "198.18.0.101/16");
        a.applyIdentity(p);
        a.applyIdentity(p);

        assertThat(net.addresses("a")).containsOnlyOnce(ALIAS + "/24", "198.18.0.101/16");
        assertThat(net.addresses("a").stream().filter(x -> x.startsWith("198.18.0.10"))).hasSize(2);
    }

    @Test
    void releaseIdentity_twiceOrNeverApplied_succeeds() throws Exception {
        ProfileSpec p = profile(ALIAS);
        b.releaseIdentity(p);
        a.applyIdentity(p);
        a.releaseIdentity(p);
        a.releaseIdentity(p);

        assertThat(net.addresses("a")).containsExactly(net.address("a") + "/24");
        assertThat(a.announcing(p)).isFalse();
    }

    @Test
    void releaseIdentity_addressWithAnotherPrefix_removesIt() throws Exception {
        a.applyIdentity(profile(ALIAS + "/16"));
        a.releaseIdentity(profile(ALIAS));

        assertThat(net.addresses("a")).doesNotContain(ALIAS + "/16");
    }

    @Test
    void holdsIdentity_followsApplyAndRelease() throws Exception {
        ProfileSpec p = profile(ALIAS, "198.18.0.101");
        assertThat(a.holdsIdentity(p)).isFalse();

        a.applyIdentity(p);
        assertThat(a.holdsIdentity(p)).isTrue();
        assertThat(b.holdsIdentity(p)).isFalse();
        assertThat(a.holdsIdentity(profile(ALIAS, "198.18.0.102"))).as("one address missing").isFalse();

        a.releaseIdentity(p);
        assertThat(a.holdsIdentity(p)).isFalse();
    }

    @Test
    void applyIdentity_bootFromSanPort_refusedAndNothingApplied() {
        ProfileSpec p = profile(new Identity("web1", List.of(ALIAS), List.of(),
                List.of(new FcPort("fc0", "50:01:43:80:00:00:00:01", "50:01:43:80:00:00:00:00", true))));

        assertThatThrownBy(() -> a.applyIdentity(p)).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.REFUSED);
            assertThat(e.getMessage()).contains("boot-from-SAN port fc0").contains("never rewritten on a running server");
        });
        assertThat(net.addresses("a")).doesNotContain(ALIAS + "/24");
    }

    @Test
    void applyIdentity_otherWwpn_failsWithoutAnNpivCapableHba(@TempDir Path sys) {
        a.sysfsRoot(sys);
        ProfileSpec p = profile(new Identity("web1", List.of(ALIAS), List.of(),
                List.of(new FcPort("fc1", "50:01:43:80:00:00:00:02", "50:01:43:80:00:00:00:00", false))));

        assertThatThrownBy(() -> a.applyIdentity(p)).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
            assertThat(e.getMessage()).contains("no NPIV-capable fc_host");
        });
        assertThat(net.addresses("a")).doesNotContain(ALIAS + "/24");
    }

    /** WWNs could not move at all ("no fabric driver configured"): a non-boot port is now an NPIV vport on an HBA. */
    @Test
    void applyIdentity_otherWwpn_becomesAnNpivVport_releaseDeletesIt(@TempDir Path sys) throws Exception {
        Path hba = Files.createDirectories(sys.resolve("class/fc_host/host3"));
        Files.writeString(hba.resolve("vport_create"), "");
        Files.writeString(hba.resolve("vport_delete"), "");
        a.sysfsRoot(sys);
        ProfileSpec p = profile(new Identity("web1", List.of(ALIAS), List.of(),
                List.of(new FcPort("fc1", "50:01:43:80:00:00:00:02", "50:01:43:80:00:00:00:01", false))));

        a.applyIdentity(p);
        assertThat(Files.readString(hba.resolve("vport_create"))).isEqualTo("5001438000000002:5001438000000001\n");
        assertThat(net.addresses("a")).contains(ALIAS + "/24");
        assertThat(a.holdsIdentity(p)).as("no vport yet").isFalse();
        // As the kernel shows the vport it made on host3.
        Path vport = Files.createDirectories(sys.resolve("class/fc_vports/vport-3:0-0"));
        Files.writeString(vport.resolve("port_name"), "0x5001438000000002\n");
        assertThat(a.holdsIdentity(p)).isTrue();

        a.releaseIdentity(p);
        assertThat(Files.readString(hba.resolve("vport_delete"))).isEqualTo("5001438000000002:5001438000000001\n");
        assertThat(net.addresses("a")).doesNotContain(ALIAS + "/24");
    }

    @Test
    void applyIdentity_announcesAgainAfterRepeatsAndEachPeriod_untilReleased() throws Exception {
        ProfileSpec p = profile(ALIAS);
        String bogus = "02:00:00:00:00:99";
        String macA = net.mac("a");
        a.applyIdentity(p);
        assertThat(net.ping("c", ALIAS)).isTrue();
        // The first round goes out at once, on its own thread; the schedule is what this test watches.
        assertThat(a.awaitFirstAnnouncement(p, Duration.ofSeconds(5))).isTrue();

        // Each poisoned entry comes back only through a's next scheduled announcement.
        for (Duration step : List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(28))) {
            net.poisonNeighbour("c", ALIAS, bogus);
            scheduler.advance(step.minusMillis(1));
            assertThat(net.neighbour("c", ALIAS)).as("nothing announced before it is due").contains(bogus);
            scheduler.advance(Duration.ofMillis(1));
            assertThat(NetNs.await(() -> net.neighbour("c", ALIAS).equals(Optional.of(macA)), KERNEL))
                    .as("announced at %s", scheduler.now()).isTrue();
        }

        a.releaseIdentity(p);
        net.poisonNeighbour("c", ALIAS, bogus);
        scheduler.advance(Duration.ofSeconds(90));
        assertThat(net.neighbour("c", ALIAS)).as("no announcement after release").contains(bogus);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void applyIdentity_setMac_writesTheProfilesMacAndReleaseRestoresIt() throws Exception {
        LinuxHost withMac = LinuxHost.start(LinuxHostSettings.defaults(NetNs.DEV).withSetMac(true), net.runner("a"), scheduler);
        String own = net.mac("a");
        ProfileSpec p = profile(new Identity(null, List.of(ALIAS), List.of("02:00:5E:10:00:01"), List.of()));

        withMac.applyIdentity(p);
        assertThat(net.mac("a")).isEqualTo("02:00:5e:10:00:01");
        assertThat(withMac.holdsIdentity(p)).isTrue();
        assertThat(net.ping("c", ALIAS)).isTrue();
        assertThat(net.neighbour("c", ALIAS)).contains("02:00:5e:10:00:01");

        withMac.releaseIdentity(p);
        withMac.close();
        assertThat(net.mac("a")).isEqualTo(own);
    }

    @Test
    void applyIdentity_hostnameFile_writtenAndRemovedOnRelease(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hostname");
        LinuxHost h = LinuxHost.start(LinuxHostSettings.defaults(NetNs.DEV).withHostnameFile(file), net.runner("a"), scheduler);
        ProfileSpec p = profile(new Identity("web1.example", List.of(ALIAS), List.of(), List.of()));

        h.applyIdentity(p);
        assertThat(Files.readString(file)).isEqualTo("web1.example\n");

        h.releaseIdentity(p);
        h.close();
        assertThat(file).doesNotExist();
    }

    @Test
    void startWorkload_runsInTheHostsNamespaceAndStopsThere(@TempDir Path dir) throws Exception {
        String d = "'" + dir + "'";
        Workload w = new Workload("sleeper",
                "sleep 300 </dev/null >/dev/null 2>&1 & echo $! > " + d + "/pid",
                "kill \"$(cat " + d + "/pid)\" && rm " + d + "/pid",
                "[ -f " + d + "/pid ] || exit 7; kill -0 \"$(cat " + d + "/pid)\" 2>/dev/null && exit 0; exit 1");
        ProfileSpec p = new ProfileSpec("web", "g1", "srv1", new Identity("web1", List.of(ALIAS), null, null), w,
                null, null, null, null);
        a.applyIdentity(p);

        a.startWorkload(p);
        assertThat(a.monitorWorkload(p)).isEqualTo(WorkloadDriver.Status.RUNNING);
        assertThat(net.pids("a")).contains(Long.parseLong(Files.readString(dir.resolve("pid")).strip()));

        a.stopWorkload(p);
        assertThat(a.monitorWorkload(p)).isEqualTo(WorkloadDriver.Status.NOT_RUNNING);
    }

    @Test
    void start_missingInterface_failsNamingIt() {
        LinuxHostSettings s = LinuxHostSettings.defaults("no-such-if0");

        assertThatThrownBy(() -> LinuxHost.start(s, net.runner("a"), scheduler))
                .isInstanceOf(DriverException.class).hasMessageContaining("no-such-if0");
    }

    private static ProfileSpec profile(String... addresses) {
        return profile(new Identity("web1", List.of(addresses), List.of(), List.of()));
    }

    private static ProfileSpec profile(Identity identity) {
        return new ProfileSpec("web", "g1", "srv1", identity, null, null, null, null, null);
    }
}

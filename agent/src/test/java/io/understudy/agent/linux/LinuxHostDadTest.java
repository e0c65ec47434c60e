package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.drivers.DriverException;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Duplicate address detection against the real kernel: hosts a and b in network namespaces on one bridge. */
class LinuxHostDadTest {
    private static final String ALIAS = "198.18.0.100";
    private static final Duration DAD = Duration.ofMillis(200);

    private final DrivenScheduler scheduler = new DrivenScheduler();
    private NetNs net;
    private LinuxHost a;
    private LinuxHost b;

    @BeforeEach
    void lan() throws DriverException {
        NetNs.requireKernel();
        net = NetNs.create("a", "b");
        LinuxHostSettings settings = LinuxHostSettings.defaults(NetNs.DEV).withDadTimeout(DAD);
        a = LinuxHost.start(settings, net.runner("a"), scheduler);
        b = LinuxHost.start(settings, net.runner("b"), scheduler);
    }

    @AfterEach
    void teardown() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (net != null) net.close();
    }

    @Test
    void applyIdentity_aliasHeldByAnotherServer_conflictNamingItsMacAndNothingChanged() throws Exception {
        ProfileSpec p = profile(ALIAS);
        b.applyIdentity(p);
        List<String> before = net.addresses("a");
        String macA = net.mac("a");

        assertThatThrownBy(() -> a.applyIdentity(p)).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.CONFLICT);
            assertThat(e.getMessage()).isEqualTo("conflict: address " + ALIAS + " is answered by MAC " + net.mac("b")
                    + " on eth0: foreign equipment or another server holds it; not taking it");
        });
        assertThat(net.addresses("a")).isEqualTo(before).doesNotContain(ALIAS + "/24");
        assertThat(net.mac("a")).isEqualTo(macA);
        assertThat(a.announcing(p)).isFalse();

        b.releaseIdentity(p);
        a.applyIdentity(p);
        assertThat(net.addresses("a")).contains(ALIAS + "/24");
        assertThat(a.announcing(p)).isTrue();
    }

    /** Issue 10: under load arping started so late that the window closed before it probed, and silence meant free. */
    @Test
    void dadFindsAConflictUnderCpuLoad() throws Exception {
        ProfileSpec p = profile(ALIAS);
        b.applyIdentity(p);

        try (CpuHog hog = CpuHog.onEveryCore()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> a.applyIdentity(p)).as("try %d", i)
                        .isInstanceOfSatisfying(DriverException.class, e -> assertThat(e.kind()).isEqualTo(DriverException.Kind.CONFLICT));
            }
        }
        assertThat(net.addresses("a")).doesNotContain(ALIAS + "/24");
    }

    @Test
    void applyIdentity_underCpuLoad_aFreeAddressIsStillTaken() throws Exception {
        try (CpuHog hog = CpuHog.onEveryCore()) {
            a.applyIdentity(profile(ALIAS));
        }
        assertThat(net.addresses("a")).contains(ALIAS + "/24");
    }

    @Test
    void applyIdentity_interfaceNotArpable_refusedNamingTheAddress() throws Exception {
        // arping -D exits 0 on a NOARP interface, as it does for "nobody answered": that must not read as free.
        exec("a", "ip", "link", "set", NetNs.DEV, "arp", "off");

        assertThatThrownBy(() -> a.applyIdentity(profile(ALIAS))).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
            assertThat(e.getMessage()).contains("duplicate address detection for " + ALIAS + " failed")
                    .contains("not ARPable").contains("not taking it");
        });
        assertThat(net.addresses("a")).doesNotContain(ALIAS + "/24");
    }

    @Test
    void applyIdentity_interfaceDown_refusedNamingTheAddress() throws Exception {
        exec("a", "ip", "link", "set", NetNs.DEV, "down");

        assertThatThrownBy(() -> a.applyIdentity(profile(ALIAS))).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
            assertThat(e.getMessage()).contains("duplicate address detection for " + ALIAS + " failed").contains("is down");
        });
        assertThat(net.addresses("a")).doesNotContain(ALIAS + "/24");
    }

    @Test
    void applyIdentity_oneOfTwoAliasesAnswered_conflictNamesOnlyThatOneAndNeitherIsAdded() throws Exception {
        b.applyIdentity(profile("198.18.0.101"));

        assertThatThrownBy(() -> a.applyIdentity(profile(ALIAS, "198.18.0.101")))
                .isInstanceOfSatisfying(DriverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DriverException.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("address 198.18.0.101 is answered by MAC " + net.mac("b"))
                            .doesNotContain("address " + ALIAS);
                });
        assertThat(net.addresses("a")).containsExactly(net.address("a") + "/24");
    }

    @Test
    void applyIdentity_again_doesNotProbeAliasesAlreadyHeld() throws Exception {
        ProfileSpec p = profile(ALIAS);
        a.applyIdentity(p);
        // b takes the address behind everyone's back: a probe from a would now be answered.
        exec("b", "ip", "addr", "add", ALIAS + "/24", "dev", NetNs.DEV);

        a.applyIdentity(p);

        assertThat(net.addresses("a")).containsOnlyOnce(ALIAS + "/24");
        // What heartbeats report: the control plane sees the alias on both servers.
        assertThat(a.heldAddresses()).containsExactly(net.address("a"), ALIAS);
        assertThat(b.heldAddresses()).containsExactly(net.address("b"), ALIAS);
    }

    @Test
    void applyIdentity_detectionOff_takesAnAnsweredAddress() throws Exception {
        b.applyIdentity(profile(ALIAS));
        LinuxHost blind = LinuxHost.start(LinuxHostSettings.defaults(NetNs.DEV).withDadTimeout(Duration.ZERO),
                net.runner("a"), scheduler);
        try {
            blind.applyIdentity(profile(ALIAS));
        } finally {
            blind.close();
        }
        assertThat(net.addresses("a")).contains(ALIAS + "/24");
    }

    @Test
    void probe_freeAddressesAreFree_togetherToo_andAnAnsweredOneNamesItsMac() throws Exception {
        b.applyIdentity(profile(ALIAS));
        AddressProbe probe = new AddressProbe(net.runner("a"), NetNs.DEV, DAD, Duration.ofSeconds(10));
        assertThat(probe.answeringMac("198.18.0.110")).isEmpty();
        assertThat(probe.answeringMac(ALIAS)).contains(net.mac("b"));
        assertThat(probe.answering(List.of("198.18.0.110", "198.18.0.111", "198.18.0.112", "198.18.0.113"))).isEmpty();
    }

    private void exec(String host, String... argv) throws DriverException {
        var r = net.runner(host).run(List.of(argv), Duration.ofSeconds(10));
        assertThat(r.exit()).as("%s: %s", String.join(" ", argv), r.stderr()).isZero();
    }

    private static ProfileSpec profile(String... addresses) {
        return new ProfileSpec("web", "g1", "srv1", new Identity("web1", List.of(addresses), List.of(), List.of()),
                null, null, null, null, null);
    }
}

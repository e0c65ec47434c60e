package io.understudy.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {

    static ServerSpec server(String id, String loc, String model, int cores) {
        return new ServerSpec(id, loc, id, null, model, "G1", cores, 64, null);
    }

    static ProfileSpec profile(String id, String home, String mac, String addr, Requirements r) {
        return new ProfileSpec(id, "g", home, new Identity(id, List.of(addr), List.of(mac), List.of()), null, r, 1, null, null);
    }

    static DataCenterConfig dc(List<ServerSpec> servers, List<GroupSpec> groups, List<ProfileSpec> profiles) {
        return new DataCenterConfig("t", List.of(new Enclosure("enc1", 4)), servers, groups, profiles);
    }

    @Test
    void validate_goodConfig_hasNoErrors() {
        var d = dc(List.of(server("a", "enc1/bay1", "M", 8), server("s", "enc1/bay2", "M", 8)),
                List.of(new GroupSpec("g", List.of("a"), List.of("s"), null)),
                List.of(profile("p", "a", "02:00:00:00:00:01", "198.18.0.1/24", new Requirements("M", 4, 32))));
        assertThat(ConfigValidator.validate(d)).isEmpty();
    }

    @Test
    void validate_badConfig_namesEveryFieldPath() {
        var d = dc(List.of(server("a", "enc1/bay1", "M", 8), server("b", "enc1/bay9", "M", 8), server("s", "enc1/bay2", "M", 8)),
                List.of(new GroupSpec("g", List.of("a", "s"), List.of("s"), null)),
                List.of(profile("p", "a", "02:00:00:00:00:01", "198.18.0.1/24", new Requirements("X", 4, 32)),
                        profile("q", "s", "02:00:00:00:00:01", "198.18.0.1/24", new Requirements("M", 64, 32))));
        assertThat(ConfigValidator.validate(d)).extracting(ConfigError::toString).contains(
                "servers[1].location: expected a bay bay1..bay4 of enc1, got 'bay9'",
                "groups[0].spares: server 's' is both regular and spare",
                "profiles[0].requirements.model: unknown model 'X' (known: [M])",
                "profiles[1].requirements: no server of group 'g' meets them",
                "profiles[1].identity.addresses[0]: duplicate alias address '198.18.0.1' (also at profiles[0].identity.addresses[0])",
                "profiles[1].identity.macs[0]: duplicate MAC '02:00:00:00:00:01' (also at profiles[0].identity.macs[0])");
    }

    private static final GroupPolicy LOCKSTEP = new GroupPolicy(ProtectionLevel.LOCKSTEP, null, null, null, null, null, null, null, null, null, null, null, null, null);

    @Test
    void lockstepGroup_onePrimaryAndItsTwin_withAPairPort_isAccepted() {
        var d = dc(List.of(server("a", "enc1/bay1", "M", 8), server("t", "enc1/bay2", "M", 8)),
                List.of(new GroupSpec("g", List.of("a"), List.of("t"), LOCKSTEP)),
                List.of(profile("p", "a", "02:00:00:00:00:01", "198.18.0.1/24", null).withPairPort(7400)));
        assertThat(ConfigValidator.validate(d)).isEmpty();
    }

    @Test
    void lockstepPairArbiter_isCheckedAtItsFields_andRefusedOutsideALockstepPair() {
        var servers = List.of(server("a", "enc1/bay1", "M", 8), server("t", "enc1/bay2", "M", 8));
        ProfileSpec p = profile("p", "a", "02:00:00:00:00:01", "198.18.0.1/24", null).withPairPort(7400);
        var good = dc(servers, List.of(new GroupSpec("g", List.of("a"), List.of("t"), LOCKSTEP)),
                List.of(p.withPairArbiter(new PairArbiter("198.18.0.2:7810", 7810))));
        assertThat(ConfigValidator.validate(good)).isEmpty();
        var bad = dc(servers, List.of(new GroupSpec("g", List.of("a"), List.of("t"), LOCKSTEP)),
                List.of(p.withPairArbiter(new PairArbiter("198.18.0.2", 0))));
        assertThat(ConfigValidator.validate(bad)).extracting(ConfigError::toString).containsExactlyInAnyOrder(
                "profiles[0].pairArbiter.address: expected HOST:PORT (the arbiter's Raft address on a control-plane host), got '198.18.0.2'",
                "profiles[0].pairArbiter.memberPort: expected the TCP port (1 to 65535) the pair's members talk Raft on, got 0");
        var notAPair = dc(servers, List.of(new GroupSpec("g", List.of("a"), List.of("t"), null)),
                List.of(profile("p", "a", "02:00:00:00:00:01", "198.18.0.1/24", null).withPairArbiter(new PairArbiter("198.18.0.2:7810", 7810))));
        assertThat(ConfigValidator.validate(notAPair)).extracting(ConfigError::toString)
                .containsExactly("profiles[0].pairArbiter: only a lockstep profile has a pair; remove it or make the group lockstep");
    }

    @Test
    void lockstep_withoutItsPairPortOrTwin_orWithData_isRefusedAtEachField() {
        ProfileSpec noPort = new ProfileSpec("p", "g", "a", new Identity("p", List.of("198.18.0.1/24"), List.of(), List.of()), null, null, 1, null, null, "/var/lib/p");
        var d = dc(List.of(server("a", "enc1/bay1", "M", 8), server("t", "enc1/bay2", "M", 8), server("u", "enc1/bay3", "M", 8)),
                List.of(new GroupSpec("g", List.of("a"), List.of("t", "u"), LOCKSTEP)), List.of(noPort));
        assertThat(ConfigValidator.validate(d)).extracting(ConfigError::toString).containsExactlyInAnyOrder(
                "groups[0].spares: a lockstep group is 1:1: expected exactly one twin, got 2",
                "profiles[0].pairPort: a lockstep profile needs the port its pair's members answer on (client requests and status)",
                "profiles[0].dataDir: a lockstep pair keeps its state in its own replicated log; remove dataDir (backups are not copied)");
    }

    @Test
    void lockstepOnAProfileOfAnotherGroup_orAPairPortWithoutAPair_isRefused() {
        ProfileSpec p = new ProfileSpec("p", "g", "a", new Identity("p", List.of("198.18.0.1/24"), List.of(), List.of()), null, null, 1, null,
                ProtectionLevel.LOCKSTEP).withPairPort(70000);
        var d = dc(List.of(server("a", "enc1/bay1", "M", 8), server("t", "enc1/bay2", "M", 8)),
                List.of(new GroupSpec("g", List.of("a"), List.of("t"), null)), List.of(p));
        assertThat(ConfigValidator.validate(d)).extracting(ConfigError::toString).containsExactlyInAnyOrder(
                "profiles[0].protection: lockstep is a group's level (one regular server and its twin); expected cold, hot or preloaded here,"
                        + " or protection: lockstep on group 'g'",
                "profiles[0].pairPort: expected a TCP port from 1 to 65535, got 70000",
                "profiles[0].pairPort: only a lockstep profile has a pair; remove it or make the group lockstep");
    }

    /**
     * Found by the fault campaign's cold group: a boot-from-SAN port on servers with real agents was accepted, and every
     * failover and fallback of the profile then failed at activate ("never rewritten on a running server").
     */
    @Test
    void bootFromSanPortOnServersWithAgents_everyActivateFailed_isRefusedAtItsField() {
        AgentSpec agent = new AgentSpec("http://198.18.0.13:7700", null, "/etc/understudy/agent.secret");
        ServerSpec a = new ServerSpec("a", "enc1/bay1", "a", null, "M", "G1", 8, 64, new Bmc("ipmi", "10.0.0.3"), agent);
        ServerSpec s = new ServerSpec("s", "enc1/bay2", "s", null, "M", "G1", 8, 64, new Bmc("ipmi", "10.0.0.4"), agent);
        FcPort boot = new FcPort("fc0", "50:01:43:80:01:00:00:01", null, true);
        ProfileSpec p = new ProfileSpec("p", "g", "a", new Identity("p", List.of("198.18.1.1/24"), List.of(), List.of(boot)), null, null, 1, null, null);
        var d = dc(List.of(a, s), List.of(new GroupSpec("g", List.of("a"), List.of("s"), null)), List.of(p));
        assertThat(ConfigValidator.validate(d)).extracting(ConfigError::toString).filteredOn(e -> e.startsWith("profiles")).containsExactly(
                "profiles[0].identity.fcPorts[0].bootFromSan: servers [a, s] of group 'g' take the identity through their agent, which never"
                        + " rewrites a boot-from-SAN port, and no enclosure here moves FC addresses: expected false (the agent moves the port as an NPIV virtual port)");
        // The simulator's bays (no agent) move it at the bay while the server is off.
        var bays = dc(List.of(server("a", "enc1/bay1", "M", 8), server("s", "enc1/bay2", "M", 8)),
                List.of(new GroupSpec("g", List.of("a"), List.of("s"), null)), List.of(p));
        assertThat(ConfigValidator.validate(bays)).isEmpty();
    }

    /** Issue 11: a real-BMC server without an agent silently got the simulator as its agent. */
    @Test
    void simulatorStoodInForMissingAgent_realBmcWithoutAgent_isNamedAtItsAgentField() {
        ServerSpec simulated = server("a", "enc1/bay1", "M", 8);
        ServerSpec redfish = new ServerSpec("r1", "enc1/bay2", "r1", null, "M", "G1", 8, 64, new Bmc("redfish", "https://10.0.0.2"));
        ServerSpec withAgent = new ServerSpec("r2", "enc1/bay3", "r2", null, "M", "G1", 8, 64, new Bmc("ipmi", "10.0.0.3"),
                new AgentSpec("http://198.18.0.13:7700", null, "/etc/understudy/agent.secret"));
        ServerSpec ipmi = new ServerSpec("r3", "enc1/bay4", "r3", null, "M", "G1", 8, 64, new Bmc("ipmi", "10.0.0.4"));
        var d = dc(List.of(simulated, redfish, withAgent, ipmi), List.of(new GroupSpec("g", List.of("a", "r1", "r2", "r3"), List.of(), null)), List.of());
        assertThat(ConfigValidator.agentsMissing(d)).extracting(ConfigError::path).containsExactly("servers[1].agent", "servers[3].agent");
        assertThat(ConfigValidator.agentsMissing(d).get(0).message()).startsWith("server 'r1' has a real BMC (redfish) but no agent: add an agent section")
                .contains("--simulate-missing-agents");
    }

    /** Regression (issue 11.5): two regular servers behind one preloaded standby passed config check. */
    @Test
    void preloadedGroupWithTwoRegularsPassedConfigCheck() {
        GroupPolicy p = new GroupPolicy(ProtectionLevel.PRELOADED, null, null, null, null, null, null, null, null, null, null, null, null, null);
        var d = dc(List.of(server("a", "enc1/bay1", "M", 8), server("b", "enc1/bay2", "M", 8), server("s", "enc1/bay3", "M", 8)),
                List.of(new GroupSpec("g", List.of("a", "b"), List.of("s"), p)), List.of());
        assertThat(ConfigValidator.validate(d)).extracting(ConfigError::toString)
                .containsExactly("groups[0].servers: a preloaded group is 1:1: expected exactly one regular server, got 2");
        var oneToOne = dc(List.of(server("a", "enc1/bay1", "M", 8), server("s", "enc1/bay3", "M", 8)),
                List.of(new GroupSpec("g", List.of("a"), List.of("s"), p)), List.of());
        assertThat(ConfigValidator.validate(oneToOne)).isEmpty();
    }

    @Test
    void validate_agentSettings_needAnHttpEndpointAndExactlyOneSecret() {
        ServerSpec noSecret = new ServerSpec("a", "enc1/bay1", "a", null, "M", "G1", 8, 64, null, new AgentSpec("http://198.18.0.11:7700", null, null));
        ServerSpec badUrl = new ServerSpec("b", "enc1/bay2", "b", null, "M", "G1", 8, 64, null, new AgentSpec("ftp://x", "A", null));
        ServerSpec good = new ServerSpec("c", "enc1/bay3", "c", null, "M", "G1", 8, 64, null, new AgentSpec("http://198.18.0.13:7700", null, "/etc/understudy/agent.secret"));
        var d = dc(List.of(noSecret, badUrl, good), List.of(new GroupSpec("g", List.of("a", "b", "c"), List.of(), null)), List.of());
        assertThat(ConfigValidator.validate(d)).extracting(ConfigError::toString).containsExactlyInAnyOrder(
                "servers[0].agent.secretFile: set exactly one of secretEnv or secretFile: every agent message is signed",
                "servers[1].agent.endpoint: expected an http(s)://host:port URL, got 'ftp://x'");
    }

    private static DataCenterConfig ordered(ProfileSpec... profiles) {
        List<ServerSpec> servers = new java.util.ArrayList<>();
        for (int i = 0; i < profiles.length; i++) servers.add(server(profiles[i].home(), "enc1/bay" + (i + 1), "M", 8));
        return dc(servers, List.of(new GroupSpec("g", servers.stream().map(ServerSpec::id).toList(), List.of(), null)), List.of(profiles));
    }

    private static ProfileSpec p(int n, String... after) {
        return profile("p" + n, "h" + n, String.format("02:00:00:00:00:%02x", n), "198.18.0." + n + "/24", null).withAfter(List.of(after));
    }

    @Test
    void after_aChainOfKnownProfiles_isAccepted() {
        assertThat(ConfigValidator.validate(ordered(p(1), p(2, "p1"), p(3, "p2", "p1")))).isEmpty();
    }

    @Test
    void after_unknownProfileOrItself_isRefusedAtItsEntry() {
        assertThat(ConfigValidator.validate(ordered(p(1, "nosuch"), p(2, "p2"))).stream().map(ConfigError::toString)).containsExactly(
                "profiles[0].after[0]: unknown profile 'nosuch' (expected the id of a profile this one starts after)",
                "profiles[1].after[0]: a profile cannot start after itself ('p2')");
    }

    @Test
    void after_aCycle_isRefusedWithItsPath() {
        assertThat(ConfigValidator.validate(ordered(p(1), p(2, "p4"), p(3, "p2"), p(4, "p3", "p1"))).stream().map(ConfigError::toString))
                .containsExactly("profiles[1].after: boot order cycle: p2 -> p4 -> p3 -> p2 (each starts after the next, so none would ever start): expected no cycle");
    }
}

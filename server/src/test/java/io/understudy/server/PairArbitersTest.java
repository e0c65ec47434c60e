package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.lockstep.LockstepMember.Peer;
import io.understudy.lockstep.LockstepMember.Role;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.PairArbiter;
import io.understudy.model.config.ProfileSpec;
import io.understudy.state.config.ConfigLoader;
import io.understudy.testkit.Ports;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane runs a lockstep pair's arbiter where the profile's pairArbiter says. */
class PairArbitersTest {
    @TempDir
    Path dir;

    /** examples/lockstep-pair.yaml, its profile's arbiter at {@code address}. */
    private static DataCenterConfig example(String address) {
        DataCenterConfig c = ConfigLoader.load(Path.of("..", "examples", "lockstep-pair.yaml"));
        List<ProfileSpec> profiles = c.profiles().stream()
                .map(p -> address == null ? p.withPairArbiter(null) : p.withPairArbiter(new PairArbiter(address, 7810))).toList();
        return new DataCenterConfig(c.name(), c.enclosures(), c.servers(), c.groups(), profiles, c.hooks());
    }

    @Test
    void thePairsGroup_isItsHomeAsPrimary_itsSpareAsTwin_andTheArbiter_asEachMemberIsStartedWith() {
        assertThat(PairArbiters.wanted(example("198.18.30.1:7812"), h -> h.equals("198.18.30.1"))).containsOnlyKeys("ledger")
                .containsEntry("ledger", List.of(new Peer("led-a", "198.18.40.11:7810", Role.PRIMARY), new Peer("led-b", "198.18.40.12:7810", Role.TWIN),
                        new Peer("arbiter", "198.18.30.1:7812", Role.ARBITER)));
        assertThat(PairArbiters.wanted(example("198.18.30.1:7812"), h -> false)).as("another node's machine").isEmpty();
        assertThat(PairArbiters.wanted(example(null), h -> true)).as("no arbiter configured: run by hand").isEmpty();
    }

    @Test
    void anArbiterConfiguredOnThisMachine_runs_andStopsWhenNoLongerConfigured() throws Exception {
        int port = Ports.freeRun(1);
        AtomicReference<DataCenterConfig> config = new AtomicReference<>(example("127.0.0.1:" + port));
        try (PairArbiters arbiters = new PairArbiters(dir, config::get, PairArbiters::isLocal)) {
            arbiters.check();
            assertThat(arbiters.profiles()).containsExactly("ledger");
            assertThat(arbiters.status("ledger")).hasValueSatisfying(s -> {
                assertThat(s.role()).isEqualTo(Role.ARBITER);
                assertThat(s.id()).isEqualTo("arbiter");
            });
            config.set(example(null));
            arbiters.check();
            assertThat(arbiters.profiles()).isEmpty();
        }
    }

    /** An arbiter whose port is taken is tried again later, not every check, and not forever. */
    @Test
    void anArbiterThatCannotStart_isTriedWithBackOff_andStopsAtItsLimit() throws Exception {
        int port = Ports.freeRun(1);
        AtomicReference<DataCenterConfig> config = new AtomicReference<>(example("127.0.0.1:" + port));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(port, 50, java.net.InetAddress.getByName("127.0.0.1"));
             PairArbiters arbiters = new PairArbiters(dir, config::get, PairArbiters::isLocal)) {
            arbiters.check();
            assertThat(arbiters.profiles()).isEmpty();
            assertThat(arbiters.startsTried("ledger")).isEqualTo(1);
            arbiters.check();
            assertThat(arbiters.startsTried("ledger")).as("within its back-off: not tried again").isEqualTo(1);
        }
    }
}

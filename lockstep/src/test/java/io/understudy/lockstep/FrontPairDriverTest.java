package io.understudy.lockstep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.FrontPairDriver;
import io.understudy.drivers.PairDriver.PairStatus;
import io.understudy.lockstep.LockstepMember.Peer;
import io.understudy.lockstep.LockstepMember.Role;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.Enclosure;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import io.understudy.testkit.Ports;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane's pair driver against real members and their fronts (Ratis on loopback, this JVM). */
class FrontPairDriverTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    @Test
    void statusOfEachMember_seqDigestAndWhoLeads_asTheirFrontsSayIt() throws Exception {
        int port = Ports.freeRun(3);
        List<Peer> peers = List.of(new Peer("primary", "127.0.0.1:" + port, Role.PRIMARY), new Peer("twin", "127.0.0.1:" + (port + 1), Role.TWIN),
                new Peer("arbiter", "127.0.0.1:" + (port + 2), Role.ARBITER));
        List<LockstepMember> members = new ArrayList<>();
        for (Peer p : peers) {
            LockstepMember m = LockstepMember.start("kv", p, peers, dir.resolve(p.id()), KeyValueService::new, LockstepMember.Settings.DEFAULTS);
            members.add(m);
            open.add(m);
        }
        await().atMost(PATIENCE).until(() -> members.get(0).leading());
        LockstepClient client = new LockstepClient("kv", peers, Duration.ofSeconds(3), Duration.ofSeconds(2));
        open.add(client);
        for (int i = 0; i < 5; i++) client.send("r" + i, ("incr k" + i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
        // Two fronts on one address: the primary's and the twin's, each on a port of its own (two profiles' worth).
        int frontPort = Ports.freeRun(2);
        open.add(LockstepFront.start(new InetSocketAddress("127.0.0.1", frontPort), members.get(0), client, Duration.ofSeconds(30)));
        open.add(LockstepFront.start(new InetSocketAddress("127.0.0.1", frontPort + 1), members.get(1), client, Duration.ofSeconds(30)));
        ServerSpec host = new ServerSpec("a", "enc1/bay1", "a", "127.0.0.1", "M", "G1", 8, 64, null);
        DataCenterConfig dc = new DataCenterConfig("t", List.of(new Enclosure("enc1", 4)), List.of(host), List.of(), List.of());
        FrontPairDriver driver = new FrontPairDriver(() -> dc);
        ProfileSpec onPrimary = profile(frontPort);
        ProfileSpec onTwin = profile(frontPort + 1);

        await().atMost(PATIENCE).until(() -> members.get(1).status().seq() == 5);
        PairStatus primary = driver.status("a", onPrimary, CallContext.probe(1));
        PairStatus twin = driver.status("a", onTwin, CallContext.probe(1));
        assertThat(primary.seq()).isEqualTo(5);
        assertThat(primary.leading()).isTrue();
        assertThat(primary.divergence()).isNull();
        assertThat(twin.seq()).isEqualTo(5);
        assertThat(twin.leading()).isFalse();
        assertThat(twin.digest()).isEqualTo(primary.digest());
        assertThat(twin.leader()).isEqualTo("primary");
        assertThat(primary.leader()).isEqualTo("primary");

        // resync: the leading member refuses (the pair would lose the copy that orders inputs); the twin leaves the
        // group, drops its copy, comes back and is sent what it lacks.
        assertThatThrownBy(() -> driver.resync("a", onPrimary, CallContext.probe(1))).isInstanceOf(DriverException.class)
                .hasMessageContaining("refused to resync").hasMessageContaining("the member leading the pair does not resync");
        driver.resync("a", onTwin, CallContext.probe(1));
        for (int i = 5; i < 8; i++) client.send("r" + i, ("incr k" + i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
        await().atMost(PATIENCE).until(() -> members.get(1).status().seq() == 8
                && members.get(1).status().digest().equals(members.get(0).status().digest()));
        assertThat(members.get(0).leading()).isTrue();

        // Nobody listens there: unreachable, named.
        assertThatThrownBy(() -> driver.status("a", profile(Ports.freeRun(1)), CallContext.probe(1)))
                .isInstanceOf(DriverException.class).hasMessageContaining("pair member of kv-1 on a")
                .extracting(e -> ((DriverException) e).kind()).isEqualTo(DriverException.Kind.UNREACHABLE);
    }

    private static ProfileSpec profile(int port) {
        return new ProfileSpec("kv-1", "pair", "a", new Identity("kv", List.of("198.18.0.40/24"), List.of(), List.of()), null, null, 1, null, null)
                .withPairPort(port);
    }
}

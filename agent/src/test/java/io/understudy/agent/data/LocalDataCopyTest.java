package io.understudy.agent.data;

import static io.understudy.agent.data.DataFixtures.contents;
import static io.understudy.agent.data.DataFixtures.profile;
import static io.understudy.agent.data.DataFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.agent.AgentServer;
import io.understudy.agent.data.DataFixtures.MutableClock;
import io.understudy.agent.data.DataFixtures.Node;
import io.understudy.drivers.DataDriver.BackupInfo;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.WorkloadDriver.Status;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.drivers.agent.AgentProtocol.Transfer;
import io.understudy.drivers.agent.Signer;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.Workload;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies between two hosts' keepers over HTTP: the source's real {@link AgentServer} serves its backups to ticket
 * holders, the target fetches, checks and keeps them.
 */
class LocalDataCopyTest {
    private static final String SECRET = "secret-of-s1";

    @TempDir
    Path base;

    private final MutableClock clock = new MutableClock(1_795_000_000_000L);
    // Scaled by the machine's load: under a CPU hog on both cores a loopback connect once took over 5 s.
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(io.understudy.testkit.Patience.scaled(Duration.ofSeconds(5))).build();
    private final ProfileSpec p = profile();
    private Node source;
    private Node target;
    private AgentServer agent;
    private String endpoint;

    @BeforeEach
    void setUp() throws Exception {
        source = new Node(base.resolve("s1"), clock, http);
        target = new Node(base.resolve("s2"), clock, http);
        // Copies use neither identity nor workload orders.
        agent = new AgentServer(Map.of("s1", SECRET), null, null, source.keeper, clock).start("127.0.0.1", 0);
        endpoint = "http://127.0.0.1:" + agent.port();
    }

    @AfterEach
    void tearDown() {
        agent.close();
    }

    private Transfer transfer(BackupInfo b, boolean reload) {
        long expires = clock.millis() + AgentProtocol.TICKET_LIFETIME.toMillis();
        return new Transfer("s1", endpoint, b, expires, Signer.ticket(SECRET, "s1", "counter", b.name(), expires), reload);
    }

    private BackupInfo backupAtSource(String count) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        write(source.dataDir().resolve("count"), count);
        write(source.dataDir().resolve("log/journal"), "count is " + count);
        return source.keeper.backup("s1", p);
    }

    @Test
    void copy_withAValidTicket_landsWithTheSameChecksum_andRestoresTheSameData() throws Exception {
        BackupInfo b = backupAtSource("12");

        target.keeper.receive("s2", p, transfer(b, false));

        assertThat(target.keeper.backups("s2", p).backups()).containsExactly(b);
        Path copy = target.keeper.file("s2", "counter", b.name()).orElseThrow();
        assertThat(BackupArchive.sum(copy).sha256()).isEqualTo(b.sha256());
        // Without reload the standby's data directory is not touched until a restore is ordered.
        assertThat(target.dataDir()).doesNotExist();
        assertThat(target.keeper.restore("s2", p)).contains(b);
        assertThat(contents(target.dataDir())).isEqualTo(contents(source.dataDir()));
    }

    @Test
    void copy_repeated_isAlreadyHere_andDoesNotAskTheSourceAgain() throws Exception {
        BackupInfo b = backupAtSource("12");
        Transfer t = transfer(b, false);
        target.keeper.receive("s2", p, t);
        agent.close();

        target.keeper.receive("s2", p, t);

        assertThat(target.keeper.backups("s2", p).backups()).containsExactly(b);
    }

    @Test
    void copy_keepsTheTwoNewestOnTheTarget() throws Exception {
        BackupInfo b1 = backupAtSource("1");
        target.keeper.receive("s2", p, transfer(b1, false));
        BackupInfo b2 = backupAtSource("2");
        target.keeper.receive("s2", p, transfer(b2, false));
        BackupInfo b3 = backupAtSource("3");
        target.keeper.receive("s2", p, transfer(b3, false));

        assertThat(target.keeper.backups("s2", p).backups()).containsExactly(b3, b2);
        assertThat(target.backupFiles()).hasSize(4);
    }

    @Test
    void copy_withAForgedTicket_isRefused_andNothingIsKept() throws Exception {
        BackupInfo b = backupAtSource("12");
        long expires = clock.millis() + 60_000;
        Transfer forged = new Transfer("s1", endpoint, b, expires, Signer.ticket("not-the-secret", "s1", "counter", b.name(), expires), false);

        assertFails(() -> target.keeper.receive("s2", p, forged), Kind.AUTH, "401");

        assertThat(target.keeper.backups("s2", p).backups()).isEmpty();
        assertThat(target.backupFiles()).isEmpty();
        assertThat(agent.rejectedCounts()).containsEntry("signature", 1L);
    }

    @Test
    void copy_withAnExpiredTicket_isRefused() throws Exception {
        BackupInfo b = backupAtSource("12");
        Transfer t = transfer(b, false);
        clock.advance(AgentProtocol.TICKET_LIFETIME.plusSeconds(1));

        assertFails(() -> target.keeper.receive("s2", p, t), Kind.FAILED, "expired");

        assertThat(target.backupFiles()).isEmpty();
    }

    @Test
    void copy_thatDoesNotMatchItsChecksum_isRefused_andTheGoodCopyStays() throws Exception {
        BackupInfo good = backupAtSource("1");
        target.keeper.receive("s2", p, transfer(good, false));
        BackupInfo next = backupAtSource("2");
        BackupInfo claimed = new BackupInfo(next.profile(), next.name(), next.takenAt(), next.size(), "0".repeat(64));

        assertFails(() -> target.keeper.receive("s2", p, transfer(claimed, true)), Kind.FAILED,
                "copy of " + next.name() + " from s1 is corrupt: sha256 " + next.sha256() + " expected " + "0".repeat(64));

        assertThat(target.keeper.backups("s2", p).backups()).containsExactly(good);
        assertThat(target.backupFiles()).containsExactlyInAnyOrder(good.name() + ".tar.gz", good.name() + ".json");
        // The reload never ran: the standby's data directory was not touched.
        assertThat(target.dataDir()).doesNotExist();
        assertThat(target.keeper.restore("s2", p)).contains(good);
        assertThat(contents(target.dataDir())).containsEntry("count", "1");
    }

    @Test
    void copy_shorterOrLongerThanClaimed_isRefused() throws Exception {
        BackupInfo b = backupAtSource("1");
        BackupInfo longer = new BackupInfo(b.profile(), b.name(), b.takenAt(), b.size() + 10, b.sha256());
        BackupInfo shorter = new BackupInfo(b.profile(), b.name(), b.takenAt(), b.size() - 10, b.sha256());

        assertFails(() -> target.keeper.receive("s2", p, transfer(longer, false)), Kind.FAILED, "is short");
        assertFails(() -> target.keeper.receive("s2", p, transfer(shorter, false)), Kind.FAILED, "is longer than the " + shorter.size() + " bytes expected");

        assertThat(target.backupFiles()).isEmpty();
    }

    @Test
    void copy_ofABackupThatWentCorruptAtTheSource_isNotServed() throws Exception {
        BackupInfo b = backupAtSource("1");
        Files.write(source.backups.resolve("counter").resolve(b.name() + ".tar.gz"), new byte[] {0}, StandardOpenOption.APPEND);

        assertFails(() -> target.keeper.receive("s2", p, transfer(b, false)), Kind.FAILED, "404");

        assertThat(target.backupFiles()).isEmpty();
    }

    @Test
    void copy_fromASourceNobodyAnswers_isUnreachable() throws Exception {
        BackupInfo b = backupAtSource("1");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Transfer t = transfer(b, false);
        Transfer nowhere = new Transfer(t.source(), "http://127.0.0.1:" + closed, b, t.expires(), t.ticket(), false);

        assertFails(() -> target.keeper.receive("s2", p, nowhere), Kind.UNREACHABLE, "cannot reach");

        assertThat(target.backupFiles()).isEmpty();
    }

    @Test
    void copyWithReload_andAReloadCommand_restoresAndRunsIt() throws Exception {
        ProfileSpec reloading = profile(new Workload("counter", "start", "stop", "monitor", "kill -HUP $(cat pid)"));
        BackupInfo b = backupAtSource("12");
        target.host.status = Status.RUNNING;
        write(target.dataDir().resolve("count"), "3");

        target.keeper.receive("s2", reloading, transfer(b, true));

        assertThat(contents(target.dataDir())).isEqualTo(contents(source.dataDir()));
        assertThat(target.reloads).containsExactly("counter");
        assertThat(target.host.calls).isEmpty();
    }

    @Test
    void copyWithReload_withoutAReloadCommand_restartsARunningWorkloadOnTheFreshCopy() throws Exception {
        BackupInfo b = backupAtSource("12");
        target.host.status = Status.RUNNING;
        write(target.dataDir().resolve("count"), "3");

        target.keeper.receive("s2", p, transfer(b, true));

        assertThat(target.host.calls).containsExactly("stop", "start");
        // Stopped on its old data, started on the fresh copy.
        assertThat(target.host.seen.get(0)).containsEntry("count", "3");
        assertThat(target.host.seen.get(1)).containsEntry("count", "12");
        assertThat(target.reloads).isEmpty();
    }

    @Test
    void copyWithReload_ofAStoppedWorkload_restoresAndLeavesItStopped() throws Exception {
        BackupInfo b = backupAtSource("12");

        target.keeper.receive("s2", p, transfer(b, true));

        assertThat(contents(target.dataDir())).containsEntry("count", "12");
        assertThat(target.host.calls).isEmpty();
        assertThat(target.host.status).isEqualTo(Status.NOT_RUNNING);
    }

    @Test
    void copy_fromASourceThatStallsMidBody_isCutOffAtTheFetchTimeout() throws Exception {
        BackupInfo b = backupAtSource("1");
        // Long enough on a busy machine for the connect and the headers, far shorter than the peer's 30 s stall.
        Duration fetch = io.understudy.testkit.Patience.scaled(Duration.ofMillis(700));
        LocalData impatient = new LocalData(new LocalData.Settings(target.backups, target.root, 2, fetch),
                target.host, x -> { }, clock, http);
        try (ServerSocket stalling = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (java.net.Socket s = stalling.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    // Headers and a first piece of the body, then nothing.
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + b.size() + "\r\n\r\nPK").getBytes());
                    s.getOutputStream().flush();
                    Thread.sleep(30_000);
                } catch (Exception e) {
                    // The test is over, or the keeper hung up.
                }
            });
            peer.setDaemon(true);
            peer.start();
            Transfer t = transfer(b, false);
            Transfer stalled = new Transfer(t.source(), "http://127.0.0.1:" + stalling.getLocalPort(), b, t.expires(), t.ticket(), false);

            assertFails(() -> impatient.receive("s2", p, stalled), Kind.TIMEOUT, "did not finish within " + fetch.toMillis() + " ms");

            assertThat(target.backupFiles()).isEmpty();
            peer.interrupt();
        }
    }

    private static void assertFails(ThrowingCallable call, Kind kind, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(DriverException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((DriverException) e).kind()).isEqualTo(kind));
    }
}

package io.understudy.agent.data;

import static io.understudy.agent.data.DataFixtures.contents;
import static io.understudy.agent.data.DataFixtures.profile;
import static io.understudy.agent.data.DataFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.agent.data.DataFixtures.MutableClock;
import io.understudy.agent.data.DataFixtures.Node;
import io.understudy.drivers.DataDriver.BackupInfo;
import io.understudy.drivers.DataDriver.Backups;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.model.config.ProfileSpec;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups, listings and restores on one host, with real files. */
class LocalDataTest {
    @TempDir
    Path base;

    private final MutableClock clock = new MutableClock(1_795_000_000_000L);
    private Node node;
    private final ProfileSpec p = profile();

    @BeforeEach
    void setUp() throws Exception {
        node = new Node(base, clock, HttpClient.newHttpClient());
    }

    @Test
    void dataDirOf_resolvesTheAbsoluteDataDirUnderTheRoot() {
        assertThat(node.keeper.dataDirOf(p)).isEqualTo(node.root.resolve("var/lib/counter"));
    }

    @Test
    void backupListRestore_roundTrip_bringsBackFilesSubdirectoriesAndEmptyDirectories() throws Exception {
        Path data = node.dataDir();
        write(data.resolve("count"), "41");
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        Files.createDirectories(data.resolve("sub/deeper"));
        Files.write(data.resolve("sub/deeper/blob.bin"), big);
        Files.createDirectories(data.resolve("empty"));
        Map<String, String> before = contents(data);

        BackupInfo info = node.keeper.backup("s1", p);

        assertThat(info.profile()).isEqualTo("counter");
        assertThat(info.name()).matches("\\d{8}T\\d{9}Z").isEqualTo("20261118T110640000Z");
        assertThat(info.takenAt()).isEqualTo(clock.millis());
        Path zip = node.backups.resolve("counter").resolve(info.name() + ".tar.gz");
        assertThat(info.size()).isEqualTo(Files.size(zip));
        assertThat(info.sha256()).isEqualTo(BackupArchive.sum(zip).sha256()).matches("[0-9a-f]{64}");
        assertThat(node.backupFiles()).containsExactly(info.name() + ".json", info.name() + ".tar.gz");
        Backups listed = node.keeper.backups("s1", p);
        assertThat(listed.backups()).containsExactly(info);
        assertThat(listed.freeBytes()).isPositive();
        assertThat(node.keeper.file("s1", "counter", info.name())).contains(zip.toAbsolutePath().normalize());

        // The workload goes on: files change, one appears, one goes.
        write(data.resolve("count"), "99");
        write(data.resolve("later.txt"), "written after the backup");
        Files.delete(data.resolve("sub/deeper/blob.bin"));

        assertThat(node.keeper.restore("s1", p)).contains(info);

        assertThat(contents(data)).isEqualTo(before);
        assertThat(Files.readAllBytes(data.resolve("sub/deeper/blob.bin"))).isEqualTo(big);
        // Nothing is left beside the data directory: the unpacked copy was renamed in, the old one deleted.
        try (var beside = Files.list(data.getParent())) {
            assertThat(beside.map(f -> f.getFileName().toString())).containsExactly("counter");
        }
    }

    @Test
    void restore_createsTheDataDirectoryAndItsParentsWhenMissing() throws Exception {
        write(node.dataDir().resolve("count"), "5");
        node.keeper.backup("s1", p);
        deleteTree(node.root.resolve("var"));

        assertThat(node.keeper.restore("s1", p)).isPresent();

        assertThat(contents(node.dataDir())).containsEntry("count", "5");
    }

    @Test
    void restore_deletesWhatAnInterruptedRestoreLeftBesideTheDataDirectory() throws Exception {
        write(node.dataDir().resolve("count"), "5");
        node.keeper.backup("s1", p);
        Path parent = node.dataDir().getParent();
        write(parent.resolve(".counter.restore-1234/count"), "half unpacked");
        write(parent.resolve(".counter.old-5678/count"), "swapped out");
        write(parent.resolve("neighbour/count"), "another workload's");

        assertThat(node.keeper.restore("s1", p)).isPresent();

        try (var beside = Files.list(parent)) {
            assertThat(beside.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("counter", "neighbour");
        }
    }

    @Test
    void backup_threeTimes_keepsTheTwoNewest() throws Exception {
        write(node.dataDir().resolve("count"), "1");
        BackupInfo first = node.keeper.backup("s1", p);
        clock.advance(Duration.ofMinutes(5));
        write(node.dataDir().resolve("count"), "2");
        BackupInfo second = node.keeper.backup("s1", p);
        clock.advance(Duration.ofMinutes(5));
        write(node.dataDir().resolve("count"), "3");
        BackupInfo third = node.keeper.backup("s1", p);

        assertThat(node.keeper.backups("s1", p).backups()).containsExactly(third, second);
        assertThat(node.backupFiles()).containsExactlyInAnyOrder(
                second.name() + ".tar.gz", second.name() + ".json", third.name() + ".tar.gz", third.name() + ".json");
        assertThat(node.keeper.file("s1", "counter", first.name())).isEmpty();

        write(node.dataDir().resolve("count"), "4");
        assertThat(node.keeper.restore("s1", p)).contains(third);
        assertThat(contents(node.dataDir())).containsEntry("count", "3");
    }

    @Test
    void backup_twiceInOneMillisecond_givesTheSecondASuffixAndListsItFirst() throws Exception {
        write(node.dataDir().resolve("count"), "1");
        BackupInfo a = node.keeper.backup("s1", p);
        BackupInfo b = node.keeper.backup("s1", p);

        assertThat(b.name()).isEqualTo(a.name() + "-1");
        assertThat(node.keeper.backups("s1", p).backups()).containsExactly(b, a);
    }

    @Test
    void backup_withoutDataDir_orWithTheDirectoryMissing_fails() throws Exception {
        ProfileSpec none = new ProfileSpec("counter", "g1", "s1", null, null, null, null, null, null, null);
        assertThatThrownBy(() -> node.keeper.backup("s1", none))
                .isInstanceOf(DriverException.class)
                .hasMessage("failed: profile counter names no dataDir");

        assertThatThrownBy(() -> node.keeper.backup("s1", p))
                .isInstanceOf(DriverException.class)
                .satisfies(e -> assertThat(((DriverException) e).kind()).isEqualTo(DriverException.Kind.FAILED))
                .hasMessageContaining(node.dataDir().toString());
        assertThat(node.backupFiles()).isEmpty();
    }

    @Test
    void backup_keptInsideTheDataDirectory_isRefused() throws Exception {
        write(node.dataDir().resolve("count"), "1");
        LocalData inside = new LocalData(new LocalData.Settings(node.dataDir().resolve("backups"), node.root, 2,
                Duration.ofSeconds(1)), node.host, x -> { }, clock, HttpClient.newHttpClient());

        assertThatThrownBy(() -> inside.backup("s1", p)).isInstanceOf(DriverException.class)
                .hasMessageContaining("a backup would contain itself");
    }

    @Test
    void dataDirOf_refusesPathsOutsideTheRoot() {
        ProfileSpec escaping = new ProfileSpec("counter", "g1", "s1", null, null, null, null, null, null, "/../../etc");
        assertThatThrownBy(() -> node.keeper.backup("s1", escaping)).isInstanceOf(DriverException.class)
                .hasMessageContaining("not a directory under");
    }

    @Test
    void restore_withNoBackupKept_isEmptyAndLeavesTheDirectoryAsItIs() throws Exception {
        write(node.dataDir().resolve("count"), "7");

        assertThat(node.keeper.restore("s1", p)).isEmpty();

        assertThat(contents(node.dataDir())).isEqualTo(Map.of("count", "7"));
    }

    @Test
    void corruptAndHalfWrittenFiles_areNotBackups_andArePrunedByTheNextBackup() throws Exception {
        write(node.dataDir().resolve("count"), "1");
        BackupInfo good = node.keeper.backup("s1", p);
        clock.advance(Duration.ofSeconds(1));
        BackupInfo bad = node.keeper.backup("s1", p);
        Path dir = node.backups.resolve("counter");
        Files.write(dir.resolve(bad.name() + ".tar.gz"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("20200101T000000000Z.zip"), "a zip whose sidecar was never written");
        Files.writeString(dir.resolve("20200101T000000001Z.json"), "{\"profile\":\"counter\",\"name\":\"20200101T000000001Z\"");
        Files.writeString(dir.resolve(".tmp-crashed.zip"), "half");

        assertThat(node.keeper.backups("s1", p).backups()).containsExactly(good);
        assertThat(node.keeper.file("s1", "counter", bad.name())).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        BackupInfo next = node.keeper.backup("s1", p);
        assertThat(node.backupFiles()).containsExactlyInAnyOrder(
                good.name() + ".tar.gz", good.name() + ".json", next.name() + ".tar.gz", next.name() + ".json");
    }

    @Test
    void restore_whenTheNewestWentBadBehindTheChecksumCache_restoresTheNextNewest() throws Exception {
        write(node.dataDir().resolve("count"), "old");
        BackupInfo older = node.keeper.backup("s1", p);
        clock.advance(Duration.ofSeconds(1));
        write(node.dataDir().resolve("count"), "new");
        BackupInfo newer = node.keeper.backup("s1", p);
        assertThat(node.keeper.backups("s1", p).backups()).containsExactly(newer, older);

        // Same size and modification time: the listing trusts its cached checksum and does not read the file again.
        Path zip = node.backups.resolve("counter").resolve(newer.name() + ".tar.gz");
        FileTime mtime = Files.getLastModifiedTime(zip);
        byte[] bytes = Files.readAllBytes(zip);
        for (int i = 30; i < 60; i++) bytes[i] ^= 0x5a;
        Files.write(zip, bytes);
        Files.setLastModifiedTime(zip, mtime);
        assertThat(node.keeper.backups("s1", p).backups()).containsExactly(newer, older);

        // The restore reads it whole, finds it bad, and takes the next newest.
        assertThat(node.keeper.restore("s1", p)).contains(older);
        assertThat(contents(node.dataDir())).isEqualTo(Map.of("count", "old"));
        assertThat(node.keeper.backups("s1", p).backups()).containsExactly(older);
    }

    @Test
    void restore_refusesAnEntryThatEscapesTheDataDirectory() throws Exception {
        write(node.dataDir().resolve("count"), "kept");
        Path dir = Files.createDirectories(node.backups.resolve("counter"));
        String name = "20261118T110640000Z";
        Path zip = dir.resolve(name + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("count"));
            out.write("evil".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("../../evil.txt"));
            out.write("outside".getBytes(StandardCharsets.UTF_8));
        }
        BackupArchive.Sum sum = BackupArchive.sum(zip);
        Files.write(dir.resolve(name + ".json"), AgentProtocol.bytes(new BackupInfo("counter", name, clock.millis(), sum.size(), sum.sha256())));
        assertThat(node.keeper.backups("s1", p).backups()).hasSize(1);

        assertThatThrownBy(() -> node.keeper.restore("s1", p))
                .isInstanceOf(DriverException.class)
                .satisfies(e -> assertThat(((DriverException) e).kind()).isEqualTo(DriverException.Kind.FAILED))
                .hasMessageContaining("../../evil.txt");

        assertThat(contents(node.dataDir())).isEqualTo(Map.of("count", "kept"));
        assertThat(node.root.resolve("var/evil.txt")).doesNotExist();
        assertThat(node.root.resolve("var/lib/evil.txt")).doesNotExist();
        try (var beside = Files.list(node.dataDir().getParent())) {
            assertThat(beside.map(f -> f.getFileName().toString())).containsExactly("counter");
        }
    }

    @Test
    void file_refusesNamesThatCouldLeaveTheBackupDirectory() throws Exception {
        write(node.dataDir().resolve("count"), "1");
        BackupInfo info = node.keeper.backup("s1", p);

        assertThat(node.keeper.file("s1", "counter", info.name())).isPresent();
        for (String bad : new String[] {"..", "../counter/" + info.name(), info.name() + "/..", "a b", "", ".", "x..y"}) {
            assertThat(node.keeper.file("s1", "counter", bad)).as(bad).isEmpty();
            assertThat(node.keeper.file("s1", bad, info.name())).as(bad).isEmpty();
        }
        assertThat(node.keeper.file("s1", "counter", "20000101T000000000Z")).isEmpty();
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}

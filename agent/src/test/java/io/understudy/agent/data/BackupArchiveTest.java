package io.understudy.agent.data;

import static io.understudy.agent.data.DataFixtures.profile;
import static io.understudy.agent.data.DataFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.agent.data.DataFixtures.MutableClock;
import io.understudy.agent.data.DataFixtures.Node;
import io.understudy.drivers.DataDriver.BackupInfo;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.model.config.ProfileSpec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives this agent did not write: a foreign or tampered tar, and the zips kept from before the tar. */
class BackupArchiveTest {
    private static final String NAME = "20261118T110640000Z";

    @TempDir
    Path base;

    private final MutableClock clock = new MutableClock(1_795_000_000_000L);
    private final ProfileSpec p = profile();
    private Node node;

    @BeforeEach
    void setUp() throws Exception {
        node = new Node(base, clock, HttpClient.newHttpClient());
        write(node.dataDir().resolve("count"), "kept");
    }

    @Test
    void restore_refusesTarEntriesAndLinksThatLeadOutOfTheDataDirectory() throws Exception {
        String home = node.dataDir().toString();
        List<TarArchiveEntry> escaping = List.of(
                file("../../evil.txt"),
                link("up", "../../../etc"),
                link("abs", "/etc/passwd"),
                link("beside", home + "-other/x"),
                // Lexically inside, but ".." after a link's name climbs from wherever that link leads.
                link("sub/through", "other/../../x"),
                hardLink("hard", "../../etc/passwd"));
        for (TarArchiveEntry bad : escaping) {
            keep(tar(List.of(file("count"), bad)));

            assertThatThrownBy(() -> node.keeper.restore("s1", p)).as(bad.getName())
                    .isInstanceOf(DriverException.class)
                    .hasMessageContaining("is refused")
                    .hasMessageContaining(bad.getName());

            assertThat(DataFixtures.contents(node.dataDir())).isEqualTo(Map.of("count", "kept"));
            assertThat(node.root.resolve("var/evil.txt")).doesNotExist();
            try (var beside = Files.list(node.dataDir().getParent())) {
                assertThat(beside.map(f -> f.getFileName().toString())).containsExactly("counter");
            }
        }
    }

    @Test
    void restore_keepsLinksThatStayInside() throws Exception {
        String home = node.dataDir().toString();
        keep(tar(List.of(file("conf/a"), link("rel", "conf/a"), link("abs", home + "/conf/a"), link("conf/up", "../conf/a"),
                link("dangling", "nowhere"))));

        assertThat(node.keeper.restore("s1", p)).isPresent();

        Path data = node.dataDir();
        assertThat(Files.readSymbolicLink(data.resolve("abs"))).isEqualTo(Path.of(home + "/conf/a"));
        assertThat(Files.readString(data.resolve("rel"))).isEqualTo("x");
        assertThat(Files.readString(data.resolve("conf/up"))).isEqualTo("x");
        assertThat(Files.isSymbolicLink(data.resolve("dangling"))).isTrue();
        assertThat(Files.exists(data.resolve("dangling"))).isFalse();
    }

    @Test
    void restore_prefersTheOwnerNameThisHostKnows_overTheNumberInTheBackup() throws Exception {
        TarArchiveEntry named = file("named");
        named.setUserName("daemon");
        named.setUserId(4242);
        named.setGroupName("daemon");
        named.setGroupId(4343);
        TarArchiveEntry unknown = file("unknown");
        unknown.setUserName("no-such-user-here");
        unknown.setUserId(4242);
        unknown.setGroupName("");
        unknown.setGroupId(4343);
        keep(tar(List.of(named, unknown)));

        assertThat(node.keeper.restore("s1", p)).isPresent();

        assertThat(Files.getAttribute(node.dataDir().resolve("named"), "unix:uid")).isEqualTo(uidOf("daemon"));
        assertThat(Files.getAttribute(node.dataDir().resolve("unknown"), "unix:uid")).isEqualTo(4242);
        assertThat(Files.getAttribute(node.dataDir().resolve("unknown"), "unix:gid")).isEqualTo(4343);
    }

    @Test
    void restore_ofAZipTakenBeforeTheTar_stillBringsBackItsFiles() throws Exception {
        Path zip = Files.createDirectories(node.backups.resolve("counter")).resolve(NAME + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("sub/"));
            out.putNextEntry(new ZipEntry("sub/count"));
            out.write("from the zip".getBytes(StandardCharsets.UTF_8));
        }
        sidecar(zip);
        assertThat(node.keeper.backups("s1", p).backups()).extracting(BackupInfo::name).containsExactly(NAME);

        assertThat(node.keeper.restore("s1", p)).isPresent();

        assertThat(DataFixtures.contents(node.dataDir())).isEqualTo(Map.of("sub/", "", "sub/count", "from the zip"));
        // The next two backups are tars, and the zip is pruned once two of them are kept.
        clock.advance(java.time.Duration.ofSeconds(1));
        BackupInfo first = node.keeper.backup("s1", p);
        clock.advance(java.time.Duration.ofSeconds(1));
        BackupInfo second = node.keeper.backup("s1", p);
        assertThat(node.backupFiles()).containsExactlyInAnyOrder(first.name() + ".tar.gz", first.name() + ".json",
                second.name() + ".tar.gz", second.name() + ".json");
    }

    @Test
    void backup_leavesOutALinkThatPointsOutOfTheDataDirectory_soTheBackupStillRestores() throws Exception {
        Path data = node.dataDir();
        Files.createSymbolicLink(data.resolve("tablespace"), Path.of("/var/tmp"));
        Files.createSymbolicLink(data.resolve("inside"), Path.of("count"));

        node.keeper.backup("s1", p);
        assertThat(node.keeper.restore("s1", p)).isPresent();

        assertThat(Files.exists(data.resolve("tablespace"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readSymbolicLink(data.resolve("inside"))).isEqualTo(Path.of("count"));
    }

    private static int uidOf(String user) throws Exception {
        Process proc = new ProcessBuilder("id", "-u", user).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(proc.waitFor()).isZero();
        return Integer.parseInt(out);
    }

    private static TarArchiveEntry file(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(1);
        return e;
    }

    private static TarArchiveEntry link(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        return e;
    }

    private static TarArchiveEntry hardLink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        return e;
    }

    /** A gzipped tar of the entries; each file holds "x". */
    private byte[] tar(List<TarArchiveEntry> entries) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream out = TarBackup.output(new GZIPOutputStream(bytes))) {
            for (TarArchiveEntry e : entries) {
                out.putArchiveEntry(e);
                if (e.isFile() && e.getSize() > 0) out.write(new byte[] {'x'});
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Keeps {@code archive} as the profile's only backup, with a sidecar that vouches for it. */
    private void keep(byte[] archive) throws IOException {
        Path dir = Files.createDirectories(node.backups.resolve("counter"));
        try (var old = Files.list(dir)) {
            for (Path f : old.toList()) Files.delete(f);
        }
        Path file = dir.resolve(NAME + ".tar.gz");
        Files.write(file, archive);
        sidecar(file);
    }

    private void sidecar(Path archive) throws IOException {
        BackupArchive.Sum sum = BackupArchive.sum(archive);
        Files.write(archive.resolveSibling(NAME + ".json"),
                AgentProtocol.bytes(new BackupInfo("counter", NAME, clock.millis(), sum.size(), sum.sha256())));
    }
}

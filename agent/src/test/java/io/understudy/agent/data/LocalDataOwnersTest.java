package io.understudy.agent.data;

import static io.understudy.agent.data.DataFixtures.profile;
import static io.understudy.agent.data.DataFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.understudy.agent.data.DataFixtures.MutableClock;
import io.understudy.agent.data.DataFixtures.Node;
import io.understudy.model.config.ProfileSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restored data directory is the one backed up, owners, modes, links and holes included: a database checks them
 * before it starts (issue 11). Runs as root, which may give files away.
 */
class LocalDataOwnersTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final long SPARSE_LENGTH = 64L << 20;

    @TempDir
    Path base;

    private final MutableClock clock = new MutableClock(1_795_000_000_000L);
    private final ProfileSpec p = profile();
    private Node node;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "giving files to other owners needs root");
        node = new Node(base, clock, HttpClient.newHttpClient());
    }

    @Test
    void restoreLostOwnersAndModes() throws Exception {
        Path data = node.dataDir();
        mixedTree(data);
        Map<String, String> before = snapshot(data);

        node.keeper.backup("s1", p);
        // The workload goes on and changes owners, modes and links.
        Files.setAttribute(data.resolve("PG_VERSION"), "unix:uid", 0);
        Files.setAttribute(data.resolve("conf"), "unix:mode", 0777);
        Files.delete(data.resolve("current"));
        Files.delete(data.resolve("sparse.db"));
        assertThat(snapshot(data)).isNotEqualTo(before);

        assertThat(node.keeper.restore("s1", p)).isPresent();

        assertThat(snapshot(data)).isEqualTo(before);
        assertThat(Files.readString(data.resolve("current"))).isEqualTo("listen 5432\n");
        assertThat(Files.isSameFile(data.resolve("PG_VERSION"), data.resolve("PG_VERSION.hard"))).isTrue();
        // Holes stay holes: the restored file takes no more room than the original, give or take a block.
        assertThat(allocated(data.resolve("sparse.db"))).isLessThanOrEqualTo(allocatedBefore + 4096);
    }

    @Test
    void restore_onAnotherServer_keepsOwnersAndModes_andMakesTheDataDirectoryAsItWas() throws Exception {
        Path data = node.dataDir();
        mixedTree(data);
        // An absolute link names the first server's tree, which is not where this test's spare keeps the data.
        Files.delete(data.resolve("abs"));
        Files.setLastModifiedTime(data, FileTime.from(Instant.ofEpochSecond(1_690_000_000L)));
        Map<String, String> before = snapshot(data);
        node.keeper.backup("s1", p);
        Node spare = new Node(base.resolve("spare"), clock, HttpClient.newHttpClient());
        Path kept = Files.createDirectories(spare.backups.resolve("counter"));
        try (Stream<Path> files = Files.list(node.backups.resolve("counter"))) {
            for (Path f : files.toList()) Files.copy(f, kept.resolve(f.getFileName()));
        }

        assertThat(spare.keeper.restore("s1", p)).isPresent();

        assertThat(snapshot(spare.dataDir())).isEqualTo(before);
    }

    private long allocatedBefore;

    /**
     * A database-like tree: files and directories of several owners and modes (setuid, setgid, sticky among them),
     * relative, absolute and dangling links, a hard link, an empty directory and a sparse file, with set times.
     */
    private void mixedTree(Path data) throws Exception {
        write(data.resolve("PG_VERSION"), "16\n");
        own(data.resolve("PG_VERSION"), 26, 26, 0600);
        Files.createLink(data.resolve("PG_VERSION.hard"), data.resolve("PG_VERSION"));
        write(data.resolve("conf/app.conf"), "listen 5432\n");
        own(data.resolve("conf/app.conf"), 0, 1001, 0640);
        own(data.resolve("conf"), 26, 1001, 0750);
        write(data.resolve("bin/tool"), "#!/bin/sh\n");
        own(data.resolve("bin/tool"), 1002, 1002, 04755);
        own(data.resolve("bin"), 0, 0, 0755);
        write(data.resolve("shared/note"), "shared");
        own(data.resolve("shared/note"), 1003, 1004, 0660);
        own(data.resolve("shared"), 1003, 1004, 02770);
        Files.createDirectories(data.resolve("tmp"));
        own(data.resolve("tmp"), 0, 0, 01777);
        Files.createDirectories(data.resolve("empty"));
        own(data.resolve("empty"), 26, 26, 0705);
        Files.createSymbolicLink(data.resolve("current"), Path.of("conf/app.conf"));
        Files.createSymbolicLink(data.resolve("shared/up"), Path.of("../conf"));
        Files.createSymbolicLink(data.resolve("abs"), data.resolve("conf"));
        Files.createSymbolicLink(data.resolve("dangling"), Path.of("nothing-here"));
        Files.setAttribute(data.resolve("current"), "unix:uid", 1005, NOFOLLOW);
        Files.setAttribute(data.resolve("dangling"), "unix:gid", 1006, NOFOLLOW);
        Path sparse = data.resolve("sparse.db");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(SPARSE_LENGTH);
            for (long at : new long[] {0, 10L << 20, SPARSE_LENGTH - 100}) {
                f.seek(at);
                f.write(("page at " + at).getBytes(StandardCharsets.UTF_8));
            }
        }
        own(sparse, 26, 26, 0600);
        allocatedBefore = allocated(sparse);
        assumeTrue(allocatedBefore < SPARSE_LENGTH / 4, "this filesystem keeps holes");
        // Times last: every change inside a directory moves its time.
        long t = 1_700_000_000_123L;
        try (Stream<Path> s = Files.walk(data)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                FileTime time = FileTime.from(Instant.ofEpochMilli(t -= 86_400_000L).plusNanos(456_700));
                Files.getFileAttributeView(f, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW).setTimes(time, null, null);
            }
        }
        own(data, 26, 26, 0700);
        Files.setLastModifiedTime(data, FileTime.from(Instant.ofEpochSecond(1_690_000_000L, 999_999_900)));
    }

    private static void own(Path p, int uid, int gid, int mode) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
        Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
        Files.setAttribute(p, "unix:mode", mode, NOFOLLOW);
    }

    /** Every path under {@code dir} (and {@code dir} itself, as "") with its type, mode, owners, time and content. */
    static Map<String, String> snapshot(Path dir) {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,size", NOFOLLOW);
                String what;
                if (Files.isSymbolicLink(p)) what = "link -> " + Files.readSymbolicLink(p);
                else if (Files.isDirectory(p, NOFOLLOW)) what = "dir";
                else what = "file " + a.get("size") + " " + sha256(p);
                // A link's mode is always 0777 on Linux and means nothing.
                boolean link = Files.isSymbolicLink(p);
                m.put(dir.relativize(p).toString(), String.format("%s mode %o uid %s gid %s mtime %s", what,
                        link ? 0 : (Integer) a.get("mode"), a.get("uid"), a.get("gid"), a.get("lastModifiedTime")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    private static String sha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = new java.security.DigestInputStream(Files.newInputStream(p), md)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes a file takes on disk, from {@code stat(1)}: Java cannot read a file's block count. */
    static long allocated(Path p) throws Exception {
        Process proc = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
        assertThat(proc.waitFor()).isZero();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}

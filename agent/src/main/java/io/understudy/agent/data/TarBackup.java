package io.understudy.agent.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data directory as a POSIX (PAX) tar that keeps what a workload checks before it starts: owners by number and by
 * name, modes with their setuid, setgid and sticky bits, modification times, symbolic and hard links as links, and the
 * holes of sparse files. The directory's own owner and mode travel too (entry {@code ./}). Both ends stream.
 */
final class TarBackup {
    private static final Logger log = LoggerFactory.getLogger(TarBackup.class);
    /** A PAX record on a file that was sparse: the restore leaves its zero blocks as holes. */
    static final String SPARSE = "UNDERSTUDY.sparse";
    private static final String ROOT = "./";
    private static final int BLOCK = 4096;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private TarBackup() {}

    /** A new tar over {@code out}, with the PAX extensions for long names, big numbers and non-ASCII names. */
    static TarArchiveOutputStream output(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    /**
     * Writes {@code dir} into {@code tar} without following a link. A link that would be refused on restore (see
     * {@link #staysInside}, with absolute targets judged against {@code home}, where the directory lies for the
     * workload) is left out with a warning, so that every backup taken can be restored. Sockets, fifos and devices are
     * not data and are left out.
     */
    static void write(Path dir, Path home, TarArchiveOutputStream tar) throws IOException {
        Set<String> sparse = SparseFiles.under(dir);
        Names names = new Names();
        Map<Object, String> firstOfInode = new HashMap<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                String name = d.equals(dir) ? ROOT : name(dir, d) + "/";
                tar.putArchiveEntry(entry(d, name, TarConstants.LF_DIR, names));
                tar.closeArchiveEntry();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                String name = name(dir, f);
                if (attrs.isSymbolicLink()) {
                    String target = Files.readSymbolicLink(f).toString();
                    if (!staysInside(dir, home, f, target)) {
                        log.warn("link {} -> {} points out of the data directory {}: left out of the backup", f, target, dir);
                        return FileVisitResult.CONTINUE;
                    }
                    TarArchiveEntry e = entry(f, name, TarConstants.LF_SYMLINK, names);
                    e.setLinkName(target);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                } else if (attrs.isRegularFile()) {
                    int nlink = (Integer) Files.getAttribute(f, "unix:nlink", NOFOLLOW);
                    String first = nlink > 1 ? firstOfInode.putIfAbsent(attrs.fileKey(), name) : null;
                    if (first != null) {
                        TarArchiveEntry e = entry(f, name, TarConstants.LF_LINK, names);
                        e.setLinkName(first);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                        return FileVisitResult.CONTINUE;
                    }
                    TarArchiveEntry e = entry(f, name, TarConstants.LF_NORMAL, names);
                    try (InputStream in = Files.newInputStream(f, NOFOLLOW)) {
                        // The length is read with the file open: one that grows while it is read is cut at this length.
                        long size = Files.size(f);
                        e.setSize(size);
                        if (sparse.contains(name)) e.addPaxHeader(SPARSE, "1");
                        tar.putArchiveEntry(e);
                        long copied = copy(in, tar, size);
                        if (copied < size) {
                            // The entry's length is written already; as GNU tar does, the rest is zeros and a warning.
                            log.warn("file {} shrank while it was backed up: {} of {} bytes read, the rest kept as zeros", f, copied, size);
                            byte[] zeros = new byte[BLOCK];
                            for (long left = size - copied; left > 0; left -= Math.min(left, BLOCK)) tar.write(zeros, 0, (int) Math.min(left, BLOCK));
                        }
                    }
                    tar.closeArchiveEntry();
                } else {
                    log.debug("{} is neither a file, a directory nor a link: left out of the backup", f);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Unpacks a tar written by {@link #write} into {@code into}, the directory that will be renamed to {@code home}.
     * Links are made last, so that no file is ever written through one; directories get their owner, mode and time
     * after their content is in. Owners are set by name where this host knows the name, by number otherwise (as tar
     * does), so a {@code postgres} user with another uid here still owns its files.
     *
     * @throws BackupArchive.EscapingEntry when an entry, a hard link or a symbolic link's target would land outside
     */
    static void read(InputStream in, Path into, Path home) throws IOException {
        Path base = into.toAbsolutePath().normalize();
        Path homeDir = home.toAbsolutePath().normalize();
        Owners owners = new Owners();
        List<Pending> links = new ArrayList<>();
        List<Pending> dirs = new ArrayList<>();
        // Not closed: the caller reads what follows the tar's end, for the checksum.
        TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            Path target = inside(base, e.getName(), e.isDirectory());
            if (e.isDirectory()) {
                Files.createDirectories(target);
                dirs.add(new Pending(target, e));
            } else if (e.isSymbolicLink()) {
                if (!staysInside(base, homeDir, target, e.getLinkName())) {
                    throw new BackupArchive.EscapingEntry(e.getName() + " -> " + e.getLinkName());
                }
                links.add(new Pending(target, e));
            } else if (e.isLink()) {
                Path existing = base.resolve(e.getLinkName()).normalize();
                if (e.getLinkName().startsWith("/") || !existing.startsWith(base) || existing.equals(base)) {
                    throw new BackupArchive.EscapingEntry(e.getName() + " => " + e.getLinkName());
                }
                Files.createDirectories(target.getParent());
                Files.createLink(target, existing);
            } else if (regular(e)) {
                Files.createDirectories(target.getParent());
                unpackFile(tar, e, target);
                owners.apply(target, e, false);
            } else {
                log.debug("entry {} is neither a file, a directory nor a link: skipped", e.getName());
            }
        }
        for (Pending l : links) {
            Files.createDirectories(l.path().getParent());
            Files.createSymbolicLink(l.path(), Path.of(l.entry().getLinkName()));
            owners.apply(l.path(), l.entry(), true);
        }
        // Deepest first: setting a directory's time before its children are done would be undone by them.
        for (int i = dirs.size() - 1; i >= 0; i--) owners.apply(dirs.get(i).path(), dirs.get(i).entry(), false);
    }

    /**
     * Whether a link at {@code link} inside {@code dir} pointing at {@code target} stays inside: it may climb ("..")
     * only at its start — a ".." after a name could climb out of wherever another link leads — and it must land inside
     * {@code dir}, or when absolute inside {@code home}, where the directory lies for the workload.
     */
    static boolean staysInside(Path dir, Path home, Path link, String target) {
        if (target.isEmpty() || target.indexOf('\0') >= 0) return false;
        Path t = Path.of(target);
        boolean named = false;
        for (Path part : t) {
            String s = part.toString();
            if (s.equals("..")) {
                if (named) return false;
            } else if (!s.equals(".")) {
                named = true;
            }
        }
        if (t.isAbsolute()) return t.normalize().startsWith(home.toAbsolutePath().normalize());
        return link.getParent().resolve(t).normalize().startsWith(dir.toAbsolutePath().normalize());
    }

    private record Pending(Path path, TarArchiveEntry entry) {}

    /** Where an entry lands: inside {@code base}, and {@code base} itself only for the directory entry {@code ./}. */
    private static Path inside(Path base, String name, boolean directory) throws IOException {
        Path target = base.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(base) || (target.equals(base) && !directory)) {
            throw new BackupArchive.EscapingEntry(name);
        }
        return target;
    }

    private static boolean regular(TarArchiveEntry e) {
        byte t = e.getLinkFlag();
        return t == TarConstants.LF_NORMAL || t == TarConstants.LF_OLDNORM || t == TarConstants.LF_CONTIG;
    }

    private static void unpackFile(InputStream tar, TarArchiveEntry e, Path target) throws IOException {
        if (e.getExtraPaxHeader(SPARSE) == null) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                tar.transferTo(out);
            }
            return;
        }
        // Zero blocks are skipped over rather than written, and the length set at the end: they read back as holes.
        Files.createFile(target);
        try (RandomAccessFile raf = new RandomAccessFile(target.toFile(), "rw")) {
            FileChannel ch = raf.getChannel();
            byte[] buf = new byte[BLOCK];
            long pos = 0;
            for (int n; (n = tar.readNBytes(buf, 0, BLOCK)) > 0; pos += n) {
                if (zero(buf, n)) continue;
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                for (long at = pos; b.hasRemaining(); ) at += ch.write(b, at);
            }
            raf.setLength(pos);
        }
    }

    private static boolean zero(byte[] buf, int n) {
        for (int i = 0; i < n; i++) if (buf[i] != 0) return false;
        return true;
    }

    /** Copies at most {@code size} bytes: a file appended to while it is read ends where its header said. */
    private static long copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long copied = 0;
        for (int n; copied < size && (n = in.read(buf, 0, (int) Math.min(buf.length, size - copied))) > 0; copied += n) {
            out.write(buf, 0, n);
        }
        return copied;
    }

    private static TarArchiveEntry entry(Path p, String name, byte type, Names names) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW);
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        int mode = (Integer) a.get("mode") & 07777;
        e.setMode(switch (type) {
            case TarConstants.LF_DIR -> 0040000 | mode;
            case TarConstants.LF_SYMLINK -> 0120000 | mode;
            default -> 0100000 | mode;
        });
        int uid = (Integer) a.get("uid"), gid = (Integer) a.get("gid");
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setUserName(names.user(p, uid));
        e.setGroupName(names.group(p, gid));
        e.setLastModifiedTime((FileTime) a.get("lastModifiedTime"));
        return e;
    }

    /** Entry names use '/' whatever the platform's separator. */
    private static String name(Path dir, Path p) {
        StringBuilder s = new StringBuilder();
        for (Path part : dir.relativize(p)) {
            if (!s.isEmpty()) s.append('/');
            s.append(part);
        }
        return s.toString();
    }

    /** The names of owners met while writing, each looked up once; a number without a name gets none. */
    private static final class Names {
        private final Map<Integer, String> users = new HashMap<>(), groups = new HashMap<>();

        String user(Path p, int uid) throws IOException {
            String n = users.get(uid);
            if (n == null) {
                n = Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW).owner().getName();
                users.put(uid, n.equals(Integer.toString(uid)) ? "" : n);
            }
            return users.get(uid);
        }

        String group(Path p, int gid) throws IOException {
            String n = groups.get(gid);
            if (n == null) {
                n = Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW).group().getName();
                groups.put(gid, n.equals(Integer.toString(gid)) ? "" : n);
            }
            return groups.get(gid);
        }
    }

    /** Sets owners, modes and times on restore; names are looked up once each. */
    private static final class Owners {
        private final UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        private final Map<String, Optional<UserPrincipal>> users = new HashMap<>();
        private final Map<String, Optional<GroupPrincipal>> groups = new HashMap<>();

        void apply(Path p, TarArchiveEntry e, boolean link) throws IOException {
            PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, NOFOLLOW);
            Optional<UserPrincipal> user = users.computeIfAbsent(e.getUserName(), this::user);
            if (user.isPresent()) view.setOwner(user.get());
            else Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
            Optional<GroupPrincipal> group = groups.computeIfAbsent(e.getGroupName(), this::group);
            if (group.isPresent()) view.setGroup(group.get());
            else Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
            if (link) {
                // A link's mode means nothing on Linux; its time is set where the platform can.
                try {
                    Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(e.getLastModifiedTime(), null, null);
                } catch (IOException | UnsupportedOperationException ex) {
                    log.debug("cannot set the time of link {}: {}", p, ex.toString());
                }
                return;
            }
            // After the owner: chown clears the setuid and setgid bits.
            Files.setAttribute(p, "unix:mode", e.getMode() & 07777, NOFOLLOW);
            Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(e.getLastModifiedTime(), null, null);
        }

        private Optional<UserPrincipal> user(String name) {
            if (name == null || name.isEmpty()) return Optional.empty();
            try {
                return Optional.of(lookup.lookupPrincipalByName(name));
            } catch (UserPrincipalNotFoundException e) {
                return Optional.empty();
            } catch (IOException e) {
                log.debug("cannot look up user {}: {}", name, e.toString());
                return Optional.empty();
            }
        }

        private Optional<GroupPrincipal> group(String name) {
            if (name == null || name.isEmpty()) return Optional.empty();
            try {
                return Optional.of(lookup.lookupPrincipalByGroupName(name));
            } catch (UserPrincipalNotFoundException e) {
                return Optional.empty();
            } catch (IOException e) {
                log.debug("cannot look up group {}: {}", name, e.toString());
                return Optional.empty();
            }
        }
    }
}

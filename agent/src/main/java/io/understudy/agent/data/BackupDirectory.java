package io.understudy.agent.data;

import io.understudy.drivers.DataDriver.BackupInfo;
import io.understudy.drivers.agent.AgentProtocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backups kept on this server: {@code DIR/PROFILE/NAME.tar.gz} and beside it {@code NAME.json}, the backup's
 * {@link BackupInfo}. A backup is good when both are there and the archive's size and checksum are the ones its sidecar
 * claims; anything else (a half-written file left by a crash, a corrupt copy) is ignored and pruned away. Files are
 * published by rename after being forced to disk, the archive before its sidecar, so a crash never leaves a sidecar
 * claiming an archive that is not whole. A zip written before backups were tars ({@code NAME.zip}, also what a peer
 * not yet upgraded sends) is still a backup, listed and restored like the others. Callers serialise writes per
 * profile; reads need no lock.
 */
final class BackupDirectory {
    private static final Logger log = LoggerFactory.getLogger(BackupDirectory.class);
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    /** Files being written start with this; they never count as backups. */
    private static final String TEMP = ".tmp-";
    private static final String TAR = ".tar.gz", ZIP = ".zip";

    /** Newest first: a later takenAt, then (for the same millisecond) the later name. */
    static final Comparator<BackupInfo> NEWEST_FIRST =
            Comparator.comparingLong(BackupInfo::takenAt).thenComparing(BackupInfo::name).reversed();

    /** A good backup and where its archive lies. */
    record Kept(BackupInfo info, Path archive) {}

    /** A checksum computed for a file of this size and modification time: listing again does not read it again. */
    private record Checked(long size, FileTime modified, String sha256) {}

    private final Path dir;
    private final Map<Path, Checked> checked = new ConcurrentHashMap<>();

    BackupDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Whether a profile id or backup name can be used as one file name here (no separators, no "..", no oddities). */
    static boolean safe(String s) {
        return s != null && SAFE.matcher(s).matches() && !s.contains("..") && !s.equals(".");
    }

    Path profileDir(String profile) {
        return dir.resolve(profile);
    }

    /** A new backup's name: the time it was taken, with a suffix when a backup of that millisecond is kept already. */
    String newName(String profile, long takenAt) {
        String base = NAME.format(Instant.ofEpochMilli(takenAt));
        String name = base;
        for (int i = 1; Files.exists(tarOf(profile, name)) || Files.exists(zipOf(profile, name))
                || Files.exists(sidecarOf(profile, name)); i++) name = base + "-" + i;
        return name;
    }

    /** A fresh file name in the profile's directory (which it creates) for a backup being written. */
    Path temp(String profile) throws IOException {
        return Files.createDirectories(profileDir(profile)).resolve(TEMP + UUID.randomUUID() + ".part");
    }

    /** The good backups of the profile, newest first, each checked against its sidecar. */
    List<Kept> good(String profile) throws IOException {
        Path pd = profileDir(profile);
        if (!Files.isDirectory(pd)) return List.of();
        List<Kept> good = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(pd, "*.json")) {
            for (Path sidecar : files) {
                String file = sidecar.getFileName().toString();
                String name = file.substring(0, file.length() - ".json".length());
                if (!safe(name) || name.startsWith(".")) continue;
                check(profile, name).ifPresent(good::add);
            }
        }
        good.sort(Comparator.comparing(Kept::info, NEWEST_FIRST));
        return good;
    }

    /** The backup {@code name} of the profile when it is kept here and good. */
    Optional<Kept> find(String profile, String name) throws IOException {
        if (!safe(profile) || !safe(name)) return Optional.empty();
        return check(profile, name);
    }

    private Optional<Kept> check(String profile, String name) throws IOException {
        BackupInfo info;
        try {
            info = AgentProtocol.read(Files.readAllBytes(sidecarOf(profile, name)), BackupInfo.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("backup {} of {}: unreadable sidecar, ignored: {}", name, profile, e.getMessage());
            return Optional.empty();
        }
        if (info == null || !profile.equals(info.profile()) || !name.equals(info.name()) || info.sha256() == null) {
            log.warn("backup {} of {}: its sidecar describes another backup, ignored", name, profile);
            return Optional.empty();
        }
        Path archive = archiveOf(profile, name);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(archive, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!attrs.isRegularFile() || attrs.size() != info.size()) return Optional.empty();
        Checked c = checked.get(archive);
        if (c == null || c.size() != attrs.size() || !c.modified().equals(attrs.lastModifiedTime())) {
            c = new Checked(attrs.size(), attrs.lastModifiedTime(), BackupArchive.sum(archive).sha256());
            checked.put(archive, c);
        }
        if (!c.sha256().equals(info.sha256())) {
            log.warn("backup {} of {} is corrupt (sha256 {}, its sidecar says {}), ignored", name, profile, c.sha256(), info.sha256());
            return Optional.empty();
        }
        return Optional.of(new Kept(info, archive));
    }

    /** Forgets a checksum found wrong since it was cached, so the next listing reads the file again. */
    void forget(Path archive) {
        checked.remove(archive);
    }

    /**
     * Publishes a finished backup: renames its archive (already forced to disk) into place, named for what it holds (a
     * zip from a peer not yet upgraded keeps {@code .zip}), then writes its sidecar the same way. A backup of the same
     * name kept before is replaced.
     */
    void publish(Path tempArchive, BackupInfo info) throws IOException {
        boolean isZip = BackupArchive.isZip(tempArchive);
        Path archive = isZip ? zipOf(info.profile(), info.name()) : tarOf(info.profile(), info.name());
        Path other = isZip ? tarOf(info.profile(), info.name()) : zipOf(info.profile(), info.name());
        Path sidecar = sidecarOf(info.profile(), info.name());
        // The old sidecar goes first, so that no moment pairs it with the new archive; then an archive of the other kind.
        Files.deleteIfExists(sidecar);
        Files.deleteIfExists(other);
        checked.remove(other);
        Files.move(tempArchive, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        BasicFileAttributes attrs = Files.readAttributes(archive, BasicFileAttributes.class);
        checked.put(archive, new Checked(attrs.size(), attrs.lastModifiedTime(), info.sha256()));
        Path tempSidecar = archive.resolveSibling(TEMP + UUID.randomUUID() + ".json");
        try (FileChannel ch = FileChannel.open(tempSidecar, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(AgentProtocol.bytes(info));
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        Files.move(tempSidecar, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(archive.getParent());
    }

    /**
     * Keeps the {@code keep} newest good backups of the profile and deletes every other file in its directory:
     * older backups, corrupt ones, and whatever a crash left half-written.
     */
    void prune(String profile, int keep) throws IOException {
        Set<String> kept = new HashSet<>();
        List<Kept> good = good(profile);
        for (Kept k : good.subList(0, Math.min(keep, good.size()))) {
            kept.add(k.archive().getFileName().toString());
            kept.add(k.info().name() + ".json");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(profileDir(profile))) {
            for (Path f : files) {
                if (kept.contains(f.getFileName().toString()) || Files.isDirectory(f)) continue;
                Files.deleteIfExists(f);
                checked.remove(f);
                log.info("backup file {} of {} pruned", f.getFileName(), profile);
            }
        }
    }

    /** Free space where the backups are kept. */
    long freeBytes() throws IOException {
        return Files.getFileStore(Files.createDirectories(dir)).getUsableSpace();
    }

    /** The backup's archive: the tar, or a zip from before the tar when only that is there. */
    private Path archiveOf(String profile, String name) {
        Path tar = tarOf(profile, name);
        Path zip = zipOf(profile, name);
        return !Files.exists(tar) && Files.exists(zip) ? zip : tar;
    }

    private Path tarOf(String profile, String name) {
        return profileDir(profile).resolve(name + TAR);
    }

    private Path zipOf(String profile, String name) {
        return profileDir(profile).resolve(name + ZIP);
    }

    private Path sidecarOf(String profile, String name) {
        return profileDir(profile).resolve(name + ".json");
    }

    /** Makes renames in a directory durable; where a directory cannot be opened for that (not Linux), it is skipped. */
    static void forceDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot force directory {} to disk: {}", d, e.getMessage());
        }
    }
}

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
 * The backups kept on this server: {@code DIR/PROFILE/NAME.zip} and beside it {@code NAME.json}, the backup's
 * {@link BackupInfo}. A backup is good when both are there and the zip's size and checksum are the ones its sidecar
 * claims; anything else (a half-written file left by a crash, a corrupt copy) is ignored and pruned away. Files are
 * published by rename after being forced to disk, the zip before its sidecar, so a crash never leaves a sidecar
 * claiming a zip that is not whole. Callers serialise writes per profile; reads need no lock.
 */
final class BackupDirectory {
    private static final Logger log = LoggerFactory.getLogger(BackupDirectory.class);
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    /** Files being written start with this; they never count as backups. */
    private static final String TEMP = ".tmp-";

    /** Newest first: a later takenAt, then (for the same millisecond) the later name. */
    static final Comparator<BackupInfo> NEWEST_FIRST =
            Comparator.comparingLong(BackupInfo::takenAt).thenComparing(BackupInfo::name).reversed();

    /** A good backup and where it lies. */
    record Kept(BackupInfo info, Path zip) {}

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
        for (int i = 1; Files.exists(zipOf(profile, name)) || Files.exists(sidecarOf(profile, name)); i++) name = base + "-" + i;
        return name;
    }

    /** A fresh file name in the profile's directory (which it creates) for a backup being written. */
    Path temp(String profile) throws IOException {
        return Files.createDirectories(profileDir(profile)).resolve(TEMP + UUID.randomUUID() + ".zip");
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
        Path zip = zipOf(profile, name);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(zip, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!attrs.isRegularFile() || attrs.size() != info.size()) return Optional.empty();
        Checked c = checked.get(zip);
        if (c == null || c.size() != attrs.size() || !c.modified().equals(attrs.lastModifiedTime())) {
            c = new Checked(attrs.size(), attrs.lastModifiedTime(), BackupArchive.sum(zip).sha256());
            checked.put(zip, c);
        }
        if (!c.sha256().equals(info.sha256())) {
            log.warn("backup {} of {} is corrupt (sha256 {}, its sidecar says {}), ignored", name, profile, c.sha256(), info.sha256());
            return Optional.empty();
        }
        return Optional.of(new Kept(info, zip));
    }

    /** Forgets a checksum found wrong since it was cached, so the next listing reads the file again. */
    void forget(Path zip) {
        checked.remove(zip);
    }

    /**
     * Publishes a finished backup: renames its zip (already forced to disk) into place, then writes its sidecar the
     * same way. A backup of the same name kept before is replaced.
     */
    void publish(Path tempZip, BackupInfo info) throws IOException {
        Path zip = zipOf(info.profile(), info.name());
        Path sidecar = sidecarOf(info.profile(), info.name());
        // The old sidecar goes first, so that no moment pairs it with the new zip.
        Files.deleteIfExists(sidecar);
        Files.move(tempZip, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        BasicFileAttributes attrs = Files.readAttributes(zip, BasicFileAttributes.class);
        checked.put(zip, new Checked(attrs.size(), attrs.lastModifiedTime(), info.sha256()));
        Path tempSidecar = zip.resolveSibling(TEMP + UUID.randomUUID() + ".json");
        try (FileChannel ch = FileChannel.open(tempSidecar, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(AgentProtocol.bytes(info));
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        Files.move(tempSidecar, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(zip.getParent());
    }

    /**
     * Keeps the {@code keep} newest good backups of the profile and deletes every other file in its directory:
     * older backups, corrupt ones, and whatever a crash left half-written.
     */
    void prune(String profile, int keep) throws IOException {
        Set<String> kept = new HashSet<>();
        List<Kept> good = good(profile);
        for (Kept k : good.subList(0, Math.min(keep, good.size()))) {
            kept.add(k.info().name() + ".zip");
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

    private Path zipOf(String profile, String name) {
        return profileDir(profile).resolve(name + ".zip");
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

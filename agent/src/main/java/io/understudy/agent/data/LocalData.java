package io.understudy.agent.data;

import io.understudy.agent.DataKeeper;
import io.understudy.agent.Host;
import io.understudy.drivers.DataDriver.BackupInfo;
import io.understudy.drivers.DataDriver.Backups;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.drivers.agent.AgentProtocol;
import io.understudy.drivers.agent.AgentProtocol.Transfer;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a profile's data on this server's own disk: backups of its data directory as checksummed tars that keep
 * owners, modes and links, copies fetched from a peer agent with a ticket, and restores that swap a whole directory in
 * at once. A copy is checked before it is kept, so a short or corrupt one never replaces a good backup. Every order
 * for one profile runs alone; serving a backup to a peer takes no lock, so two agents copying to each other never wait
 * on one another.
 */
public final class LocalData implements DataKeeper {
    private static final Logger log = LoggerFactory.getLogger(LocalData.class);
    /** How much of a refusal's body a copy error quotes. */
    private static final int SNIPPET = 300;
    private static final int RUNNING = 0, ENDED = 1, LATE = 2;

    /**
     * @param backupDir    where the backups are kept, one directory per profile
     * @param root         what a profile's absolute dataDir is resolved under: {@code /} in production, a directory
     *                     of its own per host where several hosts share one filesystem (tests, labs)
     * @param keep         how many backups to keep per profile, newest first (2)
     * @param fetchTimeout how long a copy from a peer may take, whole
     */
    public record Settings(Path backupDir, Path root, int keep, Duration fetchTimeout) {
        public static final int KEEP = 2;

        public Settings {
            Objects.requireNonNull(backupDir, "backupDir");
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(fetchTimeout, "fetchTimeout");
            if (keep < 1) throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
    }

    /** Runs the workload's reload command, so a running standby reads its refreshed data. */
    @FunctionalInterface
    public interface Reloader {
        void reload(ProfileSpec profile) throws DriverException;
    }

    private final Settings settings;
    private final Host host;
    private final Reloader reloader;
    private final Clock clock;
    private final HttpClient http;
    private final BackupDirectory store;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public LocalData(Settings settings, Host host, Reloader reloader, Clock clock, HttpClient http) {
        this.settings = settings;
        this.host = host;
        this.reloader = reloader;
        this.clock = clock;
        this.http = http;
        this.store = new BackupDirectory(settings.backupDir());
    }

    /**
     * Where the profile's data directory lies on this server: its absolute dataDir under the root.
     *
     * @throws IllegalArgumentException when the profile names no dataDir, or one that is not absolute or leaves the root
     */
    public Path dataDirOf(ProfileSpec p) {
        String d = p.dataDir();
        if (d == null) throw new IllegalArgumentException("profile " + p.id() + " names no dataDir");
        if (!d.startsWith("/")) throw new IllegalArgumentException("dataDir '" + d + "' of profile " + p.id() + " is not an absolute path");
        Path root = settings.root().toAbsolutePath().normalize();
        Path dir = root.resolve(d.substring(1)).normalize();
        if (!dir.startsWith(root) || dir.equals(root)) {
            throw new IllegalArgumentException("dataDir '" + d + "' of profile " + p.id() + " is not a directory under " + root);
        }
        return dir;
    }

    @Override
    public BackupInfo backup(String server, ProfileSpec profile) throws DriverException {
        String id = profileId(profile);
        Path data = dataDir(profile);
        synchronized (lock(id)) {
            if (!Files.isDirectory(data)) {
                throw new DriverException(Kind.FAILED, "data directory " + data + " of profile " + id + " does not exist");
            }
            Path temp = null;
            try {
                long now = clock.millis();
                String name = store.newName(id, now);
                temp = store.temp(id);
                // A data directory that is a link is backed up as the directory it points to.
                Path real = data.toRealPath();
                if (settings.backupDir().toRealPath().startsWith(real)) {
                    throw new DriverException(Kind.FAILED, "backups of " + id + " are kept inside its data directory " + data
                            + ": a backup would contain itself");
                }
                BackupArchive.Sum sum = BackupArchive.pack(real, data, temp);
                BackupInfo info = new BackupInfo(id, name, now, sum.size(), sum.sha256());
                store.publish(temp, info);
                store.prune(id, settings.keep());
                log.info("backup {} of {} taken from {}: {} bytes, sha256 {}", name, id, data, sum.size(), sum.sha256());
                return info;
            } catch (IOException e) {
                throw new DriverException(Kind.FAILED, "backup of " + id + " from " + data + " failed: " + e);
            } finally {
                deleteQuietly(temp);
            }
        }
    }

    @Override
    public Backups backups(String server, ProfileSpec profile) throws DriverException {
        String id = profileId(profile);
        synchronized (lock(id)) {
            try {
                return new Backups(store.good(id).stream().map(BackupDirectory.Kept::info).toList(), store.freeBytes());
            } catch (IOException e) {
                throw new DriverException(Kind.FAILED, "cannot list the backups of " + id + ": " + e);
            }
        }
    }

    @Override
    public Optional<Path> file(String server, String profile, String name) {
        if (!BackupDirectory.safe(profile) || !BackupDirectory.safe(name)) return Optional.empty();
        try {
            return store.find(profile, name).map(BackupDirectory.Kept::archive);
        } catch (IOException e) {
            log.warn("cannot serve backup {} of {}: {}", name, profile, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void receive(String server, ProfileSpec profile, Transfer t) throws DriverException {
        String id = profileId(profile);
        BackupInfo want = t.backup();
        if (want == null || !BackupDirectory.safe(want.name()) || want.sha256() == null || !BackupDirectory.safe(t.source())
                || t.sourceEndpoint() == null || t.ticket() == null) {
            throw new DriverException(Kind.FAILED, "copy order for " + id + " names no usable backup, source or ticket");
        }
        synchronized (lock(id)) {
            Optional<BackupDirectory.Kept> here;
            try {
                here = store.find(id, want.name());
            } catch (IOException e) {
                throw new DriverException(Kind.FAILED, "cannot read the backups of " + id + ": " + e);
            }
            // A repeated order (after a leader change, say) finds the copy already here.
            if (here.isPresent() && here.get().info().sha256().equals(want.sha256())) {
                log.info("backup {} of {} is already here", want.name(), id);
            } else {
                fetch(id, t);
            }
            if (t.reload()) restoreAndReload(profile);
        }
    }

    @Override
    public Optional<BackupInfo> restore(String server, ProfileSpec profile) throws DriverException {
        String id = profileId(profile);
        Path data = dataDir(profile);
        synchronized (lock(id)) {
            return restoreInto(id, data);
        }
    }

    /**
     * Brings the newest good backup into a running standby. Without a reload command the workload is stopped before
     * the restore rather than after it: a workload that saves its state on the way down would otherwise write that
     * old state over the fresh copy.
     */
    private void restoreAndReload(ProfileSpec p) throws DriverException {
        Workload w = p.workload();
        boolean reloadCommand = w != null && w.reload() != null && !w.reload().isBlank();
        boolean restart = w != null && !reloadCommand && host.monitorWorkload(p) == WorkloadDriver.Status.RUNNING;
        if (restart) host.stopWorkload(p);
        try {
            restoreInto(p.id(), dataDir(p));
        } catch (DriverException e) {
            // The old data is still in place: the standby goes on running on it rather than not at all.
            if (restart) {
                try {
                    host.startWorkload(p);
                } catch (DriverException again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
        if (restart) host.startWorkload(p);
        if (reloadCommand) reloader.reload(p);
    }

    /** Copies {@code t.backup()} from its source into this server's backups, checked before it is kept. */
    private void fetch(String id, Transfer t) throws DriverException {
        BackupInfo want = t.backup();
        String what = "copy of " + want.name() + " from " + t.source();
        String endpoint = t.sourceEndpoint().endsWith("/") ? t.sourceEndpoint().substring(0, t.sourceEndpoint().length() - 1) : t.sourceEndpoint();
        URI uri;
        try {
            uri = URI.create(endpoint + AgentProtocol.backupPath(t.source(), id, want.name()) + "?expires=" + t.expires()
                    + "&ticket=" + URLEncoder.encode(t.ticket(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new DriverException(Kind.FAILED, what + ": bad source endpoint '" + t.sourceEndpoint() + "'");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.fetchTimeout()).GET().build();
        // RUNNING until the copy ends one way or the other, or the watchdog cuts it off (LATE).
        AtomicInteger state = new AtomicInteger(RUNNING);
        long started = System.nanoTime();
        Path temp = null;
        try {
            temp = store.temp(id);
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                // The request's timeout ends when the headers arrive; a peer that then stalls is cut off here.
                long left = Math.max(0, settings.fetchTimeout().toNanos() - (System.nanoTime() - started));
                CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS).execute(() -> {
                    if (state.compareAndSet(RUNNING, LATE)) closeQuietly(body);
                });
                if (response.statusCode() != 200) {
                    String snippet = new String(body.readNBytes(SNIPPET), StandardCharsets.UTF_8).strip();
                    throw new DriverException(response.statusCode() == 401 ? Kind.AUTH : Kind.FAILED,
                            what + " refused: HTTP " + response.statusCode() + ": " + snippet);
                }
                BackupArchive.Sum got = download(body, temp, want.size());
                if (got.size() > want.size()) {
                    throw new DriverException(Kind.FAILED, what + " is longer than the " + want.size() + " bytes expected");
                }
                if (got.size() < want.size()) {
                    throw new DriverException(Kind.FAILED, what + " is short: " + got.size() + " bytes, expected " + want.size());
                }
                if (!got.sha256().equals(want.sha256())) {
                    throw new DriverException(Kind.FAILED, what + " is corrupt: sha256 " + got.sha256() + " expected " + want.sha256());
                }
            } finally {
                state.compareAndSet(RUNNING, ENDED);
            }
            store.publish(temp, new BackupInfo(id, want.name(), want.takenAt(), want.size(), want.sha256()));
            store.prune(id, settings.keep());
            log.info("backup {} of {} copied from {}: {} bytes, sha256 {}", want.name(), id, t.source(), want.size(), want.sha256());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new DriverException(Kind.UNREACHABLE, what + ": cannot reach " + endpoint + ": " + e);
        } catch (HttpTimeoutException e) {
            throw new DriverException(Kind.TIMEOUT, what + ": no answer within " + settings.fetchTimeout().toMillis() + " ms");
        } catch (IOException e) {
            if (state.get() == LATE) {
                throw new DriverException(Kind.TIMEOUT, what + " did not finish within " + settings.fetchTimeout().toMillis() + " ms");
            }
            throw new DriverException(Kind.FAILED, what + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(Kind.FAILED, what + " interrupted");
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Streams a copy into {@code temp}, hashing it on the way, and stops one byte past the size expected so that a
     * peer sending too much cannot fill the disk.
     */
    private static BackupArchive.Sum download(InputStream body, Path temp, long expected) throws IOException {
        MessageDigest md = BackupArchive.sha256();
        long size = 0;
        byte[] buf = new byte[64 * 1024];
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int n; size <= expected && (n = body.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) ch.write(b);
            }
            ch.force(true);
        }
        return new BackupArchive.Sum(size, BackupArchive.hex(md));
    }

    /**
     * Unpacks the newest good backup beside the data directory and swaps it in whole: the workload sees the old data
     * or the new, never a mix. A backup found corrupt while it is unpacked gives way to the next newest.
     */
    private Optional<BackupInfo> restoreInto(String id, Path data) throws DriverException {
        List<BackupDirectory.Kept> good;
        try {
            good = store.good(id);
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, "cannot read the backups of " + id + ": " + e);
        }
        clearLeftovers(data);
        for (BackupDirectory.Kept k : good) {
            BackupInfo info = k.info();
            Path fresh = null;
            try {
                Files.createDirectories(data.getParent());
                fresh = Files.createDirectory(data.resolveSibling("." + data.getFileName() + ".restore-" + UUID.randomUUID()));
                BackupArchive.Sum sum;
                try {
                    sum = BackupArchive.unpack(k.archive(), fresh, data);
                } catch (BackupArchive.EscapingEntry e) {
                    throw new DriverException(Kind.FAILED, "backup " + info.name() + " of " + id + " is refused: " + e.getMessage());
                } catch (IOException e) {
                    // An unreadable archive that still matches its checksum is this server's trouble, not the backup's.
                    if (matches(k.archive(), info)) throw e;
                    sum = null;
                }
                if (sum == null || sum.size() != info.size() || !sum.sha256().equals(info.sha256())) {
                    log.warn("backup {} of {} went corrupt since it was checked; trying an older one", info.name(), id);
                    store.forget(k.archive());
                    continue;
                }
                swap(fresh, data);
                fresh = null;
                log.info("backup {} of {} restored into {}", info.name(), id, data);
                return Optional.of(info);
            } catch (IOException e) {
                throw new DriverException(Kind.FAILED, "restore of backup " + info.name() + " of " + id + " into " + data + " failed: " + e);
            } finally {
                deleteTree(fresh);
            }
        }
        log.info("no good backup of {} kept here; {} left as it is", id, data);
        return Optional.empty();
    }

    /**
     * Deletes what an interrupted restore left beside the data directory: unpacked copies never swapped in, and old
     * directories swapped out. An old one is kept while the data directory is missing: the swap stopped between its
     * two renames, and it is the only copy of the data there is.
     */
    private static void clearLeftovers(Path data) {
        Path parent = data.getParent();
        if (!Files.isDirectory(parent)) return;
        boolean dataThere = Files.exists(data, LinkOption.NOFOLLOW_LINKS);
        String name = data.getFileName().toString();
        try (DirectoryStream<Path> beside = Files.newDirectoryStream(parent)) {
            for (Path p : beside) {
                String f = p.getFileName().toString();
                if (f.startsWith("." + name + ".restore-") || (dataThere && f.startsWith("." + name + ".old-"))) {
                    log.info("deleting {}, left by an interrupted restore", p);
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            log.warn("cannot look for leftovers of a restore beside {}: {}", data, e.toString());
        }
    }

    private static boolean matches(Path archive, BackupInfo info) {
        try {
            BackupArchive.Sum s = BackupArchive.sum(archive);
            return s.size() == info.size() && s.sha256().equals(info.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    /** Puts {@code fresh} where {@code data} is, by renames in one directory; the old data is deleted afterwards. */
    private static void swap(Path fresh, Path data) throws IOException {
        if (Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
            Path old = data.resolveSibling("." + data.getFileName() + ".old-" + UUID.randomUUID());
            Files.move(data, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(fresh, data, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(old, data, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
            BackupDirectory.forceDirectory(data.getParent());
            deleteTree(old);
        } else {
            Files.move(fresh, data, StandardCopyOption.ATOMIC_MOVE);
            BackupDirectory.forceDirectory(data.getParent());
        }
    }

    private Path dataDir(ProfileSpec p) throws DriverException {
        try {
            return dataDirOf(p);
        } catch (IllegalArgumentException e) {
            throw new DriverException(Kind.FAILED, e.getMessage());
        }
    }

    private static String profileId(ProfileSpec p) throws DriverException {
        if (!BackupDirectory.safe(p.id())) throw new DriverException(Kind.FAILED, "profile id '" + p.id() + "' cannot name a backup directory");
        return p.id();
    }

    private Object lock(String profile) {
        return locks.computeIfAbsent(profile, k -> new Object());
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", p, e.toString());
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing a stalled copy: {}", e.toString());
        }
    }

    /** Deletes a directory tree without following links out of it; what cannot be deleted is logged and left. */
    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) throw e;
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", dir, e.toString());
        }
    }
}

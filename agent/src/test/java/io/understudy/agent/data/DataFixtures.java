package io.understudy.agent.data;

import io.understudy.agent.Host;
import io.understudy.drivers.WorkloadDriver.Status;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** One simulated host's data keeper over its own root and backup directory, and the fakes it needs. */
final class DataFixtures {
    private DataFixtures() {}

    static final String DATA_DIR = "/var/lib/counter";

    static ProfileSpec profile(Workload w) {
        return new ProfileSpec("counter", "g1", "s1", null, w, null, null, null, null, DATA_DIR);
    }

    static ProfileSpec profile() {
        return profile(new Workload("counter", "start", "stop", "monitor", null));
    }

    /** A clock the test moves by hand, shared by the keepers and the agent server that checks ticket expiry. */
    static final class MutableClock extends Clock {
        private volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A host whose workload state the test sets, and which records the workload calls it gets. */
    static final class RecordingHost implements Host {
        final List<String> calls = new ArrayList<>();
        volatile Status status = Status.NOT_RUNNING;
        /** What the data directory holds at each call, to show in which order restore and restart happened. */
        final List<Map<String, String>> seen = new ArrayList<>();
        Path dataDir;

        @Override
        public void applyIdentity(ProfileSpec profile) {}

        @Override
        public void releaseIdentity(ProfileSpec profile) {}

        @Override
        public boolean holdsIdentity(ProfileSpec profile) {
            return false;
        }

        @Override
        public void startWorkload(ProfileSpec profile) {
            calls.add("start");
            if (dataDir != null) seen.add(contents(dataDir));
            status = Status.RUNNING;
        }

        @Override
        public void stopWorkload(ProfileSpec profile) {
            calls.add("stop");
            if (dataDir != null) seen.add(contents(dataDir));
            status = Status.NOT_RUNNING;
        }

        @Override
        public Status monitorWorkload(ProfileSpec profile) {
            return status;
        }

        @Override
        public Inventory inventory() {
            return new Inventory("test", 1, 1, "ok");
        }
    }

    /** One host's keeper: its own root (where its data directory lies) and its own backup directory. */
    static final class Node {
        final Path root;
        final Path backups;
        final RecordingHost host = new RecordingHost();
        final List<String> reloads = new ArrayList<>();
        final LocalData keeper;

        Node(Path base, Clock clock, HttpClient http) throws IOException {
            this.root = Files.createDirectories(base.resolve("root"));
            this.backups = Files.createDirectories(base.resolve("backups"));
            this.keeper = new LocalData(new LocalData.Settings(backups, root, 2, Duration.ofSeconds(10)), host,
                    p -> reloads.add(p.id()), clock, http);
            host.dataDir = dataDir();
        }

        Path dataDir() {
            return keeper.dataDirOf(profile());
        }

        /** The files in the profile's backup directory, by name. */
        List<String> backupFiles() throws IOException {
            Path d = backups.resolve("counter");
            if (!Files.isDirectory(d)) return List.of();
            try (Stream<Path> s = Files.list(d)) {
                return s.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
    }

    /** Every regular file under {@code dir} by relative path with its content, and each directory as "DIR/". */
    static Map<String, String> contents(Path dir) {
        Map<String, String> m = new TreeMap<>();
        if (!Files.isDirectory(dir)) return m;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(dir)) continue;
                String rel = dir.relativize(p).toString();
                if (Files.isDirectory(p)) m.put(rel + "/", "");
                else m.put(rel, Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1)); // every byte, text or not
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

}

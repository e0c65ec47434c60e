package io.understudy.drivers;

import io.understudy.model.config.ProfileSpec;
import java.util.List;
import java.util.Optional;

/**
 * A profile's data, through the agents (seed 004, chapter 3): the agent of the server running the profile backs up
 * its data directory; a backup is copied to the group's standby or spares, checksummed, and each keeps the two newest
 * per profile; before the workload starts elsewhere the newest good backup is restored into the data directory.
 * A failed or corrupt copy never replaces a good one.
 */
public interface DataDriver {

    /**
     * One backup of one profile's data directory.
     *
     * @param name    unique per profile, sortable by time (e.g. {@code 20261122T101500123Z})
     * @param takenAt epoch ms when the backup was taken: "newer" means a later {@code takenAt}
     * @param sha256  lowercase hex of the backup file's bytes
     */
    record BackupInfo(String profile, String name, long takenAt, long size, String sha256) {}

    /** The good backups a server keeps for a profile, newest first, and the free space where it keeps them. */
    record Backups(List<BackupInfo> backups, long freeBytes) {
        public Optional<BackupInfo> newest() {
            return backups.isEmpty() ? Optional.empty() : Optional.of(backups.get(0));
        }

        public long bytesHeld() {
            return backups.stream().mapToLong(BackupInfo::size).sum();
        }
    }

    /** Backs up the profile's data directory on {@code server} now; keeps the two newest there. */
    BackupInfo backup(String server, ProfileSpec profile, CallContext ctx) throws DriverException;

    /** What {@code server} keeps for the profile (checksums verified), newest first. */
    Backups backups(String server, ProfileSpec profile, CallContext ctx) throws DriverException;

    /**
     * Copies {@code backup} from {@code source} to {@code target}, straight between their agents; the target checks
     * size and checksum before keeping it and then keeps the two newest. With {@code reload} (a preloaded standby)
     * the target also restores it into the data directory and has its running workload read it.
     *
     * @throws DriverException FAILED when the copy is corrupt or short (the target's good copies stay as they were)
     */
    void copy(String source, String target, ProfileSpec profile, BackupInfo backup, boolean reload, CallContext ctx)
            throws DriverException;

    /**
     * Restores the newest good backup into the profile's data directory on {@code server}, replacing what is there;
     * empty when the server keeps none (the directory is left as it is).
     */
    Optional<BackupInfo> restore(String server, ProfileSpec profile, CallContext ctx) throws DriverException;
}

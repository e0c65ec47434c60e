package io.understudy.agent;

import io.understudy.drivers.DataDriver.BackupInfo;
import io.understudy.drivers.DataDriver.Backups;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.agent.AgentProtocol.Transfer;
import io.understudy.model.config.ProfileSpec;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The agent's side of {@link io.understudy.drivers.DataDriver}: backups of a profile's data directory kept on this
 * server (the two newest per profile, each with its checksum), copies fetched from a peer agent, and restores.
 */
public interface DataKeeper {
    BackupInfo backup(String server, ProfileSpec profile) throws DriverException;

    Backups backups(String server, ProfileSpec profile) throws DriverException;

    /**
     * Fetches {@code t.backup()} from the source agent with the transfer's ticket, checks its size and checksum, keeps
     * it (and the two newest), and with {@code t.reload()} restores it and has the running workload read it.
     */
    void receive(String server, ProfileSpec profile, Transfer t) throws DriverException;

    Optional<BackupInfo> restore(String server, ProfileSpec profile) throws DriverException;

    /** The file of a good backup kept here, to serve to a peer that holds a ticket for it. */
    Optional<Path> file(String server, String profile, String name);
}

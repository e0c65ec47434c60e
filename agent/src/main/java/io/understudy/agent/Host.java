package io.understudy.agent;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.config.ProfileSpec;

/**
 * What an agent does on its own server: the adaptation layer that applies a profile's identity without reboot, and
 * the workload's start/stop/monitor. Every method is idempotent: applying an identity already held, or stopping a
 * workload already stopped, succeeds and changes nothing.
 */
public interface Host {
    /** Adds the profile's alias addresses (announcing them by gratuitous ARP), MACs and hostname. */
    void applyIdentity(ProfileSpec profile) throws DriverException;

    /** Takes the profile's identity away from this server. */
    void releaseIdentity(ProfileSpec profile) throws DriverException;

    /** Whether this server holds the profile's identity now (its alias addresses are configured here). */
    boolean holdsIdentity(ProfileSpec profile) throws DriverException;

    void startWorkload(ProfileSpec profile) throws DriverException;

    void stopWorkload(ProfileSpec profile) throws DriverException;

    WorkloadDriver.Status monitorWorkload(ProfileSpec profile) throws DriverException;

    /** What this server is: reported with every heartbeat so the control plane can check spares are what they claim. */
    Inventory inventory();

    /** @param health {@code ok}, {@code warning} or {@code critical} */
    record Inventory(String model, int cores, int memoryGib, String health) {}
}

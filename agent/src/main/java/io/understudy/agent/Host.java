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

    /**
     * Has the running workload read a fresh data copy: the profile's {@code reload} command. Called only when the
     * profile has one.
     */
    default void reloadWorkload(ProfileSpec profile) throws DriverException {
        throw new DriverException(DriverException.Kind.FAILED, "this host cannot run reload commands");
    }

    /**
     * Every address on the server's identity interface (its own included), reported with heartbeats so the control
     * plane sees an alias held by two servers (split brain).
     */
    default java.util.List<String> heldAddresses() throws DriverException {
        return java.util.List.of();
    }

    /**
     * Isolated from the control plane's majority for longer than the self-fence timeout: stop each profile's workload
     * and drop its identity, trying all of them.
     */
    default String fenceSelf(java.util.List<ProfileSpec> profiles) throws DriverException {
        java.util.List<String> failed = new java.util.ArrayList<>();
        for (ProfileSpec p : profiles) {
            try {
                stopWorkload(p);
            } catch (DriverException e) {
                failed.add(e.getMessage());
            }
            try {
                releaseIdentity(p);
            } catch (DriverException e) {
                failed.add(e.getMessage());
            }
        }
        if (!failed.isEmpty()) throw new DriverException(DriverException.Kind.FAILED, String.join("; ", failed));
        return "fenced " + profiles.size() + " profile(s)";
    }

    /** What this server is: reported with every heartbeat so the control plane can check spares are what they claim. */
    Inventory inventory();

    /** @param health {@code ok}, {@code warning} or {@code critical} */
    record Inventory(String model, int cores, int memoryGib, String health) {}
}

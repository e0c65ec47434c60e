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
     * Self-fencing, for an agent cut off from a majority of the control plane (which may already have moved these
     * profiles elsewhere): for each profile, stops its workload, then releases its identity — the release also when
     * the stop failed, since the addresses must go whatever the workload does. Tries every profile before reporting.
     *
     * @return one line of what was done, e.g. "fenced 2 profile(s): web, db: workloads stopped, identities released"
     * @throws DriverException FAILED naming every step that failed, after every profile was tried
     */
    default String fenceSelf(java.util.List<ProfileSpec> profiles) throws DriverException {
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (ProfileSpec p : profiles) {
            try {
                stopWorkload(p);
            } catch (DriverException e) {
                failures.add("profile " + p.id() + ": stop workload: " + e.getMessage());
            }
            try {
                releaseIdentity(p);
            } catch (DriverException e) {
                failures.add("profile " + p.id() + ": release identity: " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new DriverException(DriverException.Kind.FAILED, "self-fence of " + profiles.size() + " profile(s) incomplete: "
                    + String.join("; ", failures));
        }
        java.util.List<String> ids = profiles.stream().map(ProfileSpec::id).toList();
        return "fenced " + profiles.size() + " profile(s)" + (ids.isEmpty() ? "" : ": " + String.join(", ", ids))
                + ": workloads stopped, identities released";
    }

    /** What this server is: reported with every heartbeat so the control plane can check spares are what they claim. */
    Inventory inventory();

    /** @param health {@code ok}, {@code warning} or {@code critical} */
    record Inventory(String model, int cores, int memoryGib, String health) {}
}

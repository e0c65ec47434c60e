package io.understudy.sim;

import io.understudy.model.config.ServerSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** One simulated server: power, boot, the identity it holds, its workload and its faults. Guarded by the data center. */
final class SimServer {
    final ServerSpec spec;
    final Duration heartbeatInterval;
    boolean powered;
    /** A power-on is under way: pressing the button again does nothing, as on a real BMC. */
    boolean poweringOn;
    boolean booted;
    /** The profile whose identity the bay carries (applied at boot, like a blade server profile). */
    String assigned;
    /** The profile whose identity is live on the server's network now. */
    String active;
    boolean workloadRunning;
    /** Workloads running without their identity (a preloaded standby's): they serve as soon as the identity comes. */
    final java.util.Set<String> preloaded = new java.util.HashSet<>();
    final Set<Fault> faults = EnumSet.noneOf(Fault.class);
    /** Bumped on every power change, so stale delayed events (a boot that was interrupted) are ignored. */
    long generation;
    long highestTerm;
    /** Backups kept on the server's disk per profile, newest first (they survive power-off). */
    final java.util.Map<String, java.util.List<io.understudy.drivers.DataDriver.BackupInfo>> backups = new java.util.HashMap<>();
    /** Which backup each profile's data directory was last restored from ("live" where it was never replaced). */
    final java.util.Map<String, String> dataFrom = new java.util.HashMap<>();
    /** Copies to this server arrive corrupt (a failing disk or link), for tests of the sync alarm. */
    boolean corruptCopies;
    /** The group's self-fence timeout: an isolated agent drops its identity after it (null: never). */
    java.time.Duration selfFenceTimeout;

    SimServer(ServerSpec spec, Duration heartbeatInterval) {
        this.spec = spec;
        this.heartbeatInterval = heartbeatInterval;
    }

    boolean agentUp() {
        return powered && booted && !faults.contains(Fault.CRASH) && !faults.contains(Fault.HANG) && !faults.contains(Fault.ISOLATED);
    }

    String state() {
        if (!powered) return "off";
        if (faults.contains(Fault.CRASH)) return "crashed";
        if (faults.contains(Fault.HANG)) return "hung";
        if (faults.contains(Fault.ISOLATED)) return "isolated";
        if (!booted) return "booting";
        return "running";
    }
}

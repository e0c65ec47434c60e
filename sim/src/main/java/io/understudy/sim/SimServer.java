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
    final Set<Fault> faults = EnumSet.noneOf(Fault.class);
    /** Bumped on every power change, so stale delayed events (a boot that was interrupted) are ignored. */
    long generation;
    long highestTerm;

    SimServer(ServerSpec spec, Duration heartbeatInterval) {
        this.spec = spec;
        this.heartbeatInterval = heartbeatInterval;
    }

    boolean agentUp() {
        return powered && booted && !faults.contains(Fault.CRASH) && !faults.contains(Fault.HANG);
    }

    String state() {
        if (!powered) return "off";
        if (faults.contains(Fault.CRASH)) return "crashed";
        if (faults.contains(Fault.HANG)) return "hung";
        if (!booted) return "booting";
        return "running";
    }
}

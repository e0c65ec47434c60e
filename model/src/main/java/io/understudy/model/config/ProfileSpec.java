package io.understudy.model.config;

import java.util.List;

/**
 * A portable identity plus a workload, normally running on its home server.
 *
 * @param priority lower value wins a spare first
 * @param protection overrides the group's protection level when set
 * @param dataDir the workload's data directory on whichever server runs it: backed up, copied to the group's spares
 *                and restored before the workload starts elsewhere; null when the workload keeps no data
 * @param after the profiles that must be verified running before this one's workload starts (ordered boot: at a
 *              failover, a fallback, a move, a whole enclosure powering up); empty when it follows none
 * @param pairPort a {@code lockstep} profile's: the TCP port on which each member of its pair takes client requests
 *                 and answers {@code status} (the primary's through the profile's alias); null for other levels
 * @param pairArbiter a {@code lockstep} profile's: where the control plane runs its pair's arbiter; null when the
 *                    arbiter is run by hand (or for other levels)
 */
public record ProfileSpec(
        String id,
        String group,
        String home,
        Identity identity,
        Workload workload,
        Requirements requirements,
        Integer priority,
        FallbackMode fallback,
        ProtectionLevel protection,
        String dataDir,
        List<String> after,
        Integer pairPort,
        PairArbiter pairArbiter) {

    public ProfileSpec {
        after = after == null ? List.of() : List.copyOf(after);
        if (identity == null) identity = new Identity(null, null, null, null);
        if (priority == null) priority = 100;
        if (fallback == null) fallback = FallbackMode.MANUAL;
        if (dataDir != null && dataDir.isBlank()) dataDir = null;
    }

    public ProfileSpec(String id, String group, String home, Identity identity, Workload workload,
                       Requirements requirements, Integer priority, FallbackMode fallback, ProtectionLevel protection,
                       String dataDir, List<String> after, Integer pairPort) {
        this(id, group, home, identity, workload, requirements, priority, fallback, protection, dataDir, after, pairPort, null);
    }

    public ProfileSpec(String id, String group, String home, Identity identity, Workload workload,
                       Requirements requirements, Integer priority, FallbackMode fallback, ProtectionLevel protection,
                       String dataDir, List<String> after) {
        this(id, group, home, identity, workload, requirements, priority, fallback, protection, dataDir, after, null, null);
    }

    public ProfileSpec(String id, String group, String home, Identity identity, Workload workload,
                       Requirements requirements, Integer priority, FallbackMode fallback, ProtectionLevel protection) {
        this(id, group, home, identity, workload, requirements, priority, fallback, protection, null);
    }

    public ProfileSpec(String id, String group, String home, Identity identity, Workload workload,
                       Requirements requirements, Integer priority, FallbackMode fallback, ProtectionLevel protection,
                       String dataDir) {
        this(id, group, home, identity, workload, requirements, priority, fallback, protection, dataDir, List.of());
    }

    /** This profile, following {@code profiles} at boot. */
    public ProfileSpec withAfter(List<String> profiles) {
        return new ProfileSpec(id, group, home, identity, workload, requirements, priority, fallback, protection, dataDir, profiles, pairPort, pairArbiter);
    }

    /** This profile, its pair's members answering on {@code port} (lockstep). */
    public ProfileSpec withPairPort(Integer port) {
        return new ProfileSpec(id, group, home, identity, workload, requirements, priority, fallback, protection, dataDir, after, port, pairArbiter);
    }

    /** This profile, its pair's arbiter run by the control plane as {@code arbiter} says (lockstep). */
    public ProfileSpec withPairArbiter(PairArbiter arbiter) {
        return new ProfileSpec(id, group, home, identity, workload, requirements, priority, fallback, protection, dataDir, after, pairPort, arbiter);
    }
}

package io.understudy.sim;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the hardware's changes into its {@link HardwareLog} by comparing each server with how it stood at the last
 * look. The data center looks after every operation that may change something, naming the operation as the cause,
 * so no change goes unrecorded however it came about. Guarded by the data center, like the servers it reads.
 */
final class TruthRecorder {
    private record Look(boolean poweringOn, boolean powered, boolean booted, String identity, boolean workload) {
        static final Look NOTHING = new Look(false, false, false, null, false);

        static Look of(SimServer s) {
            return new Look(s.poweringOn, s.powered, s.booted, s.active, s.workloadRunning);
        }
    }

    private final HardwareLog log;
    private final Map<String, Look> last = new HashMap<>();
    private final Map<String, List<String>> holders = new TreeMap<>();

    TruthRecorder(HardwareLog log) {
        this.log = log;
    }

    /** Records an event that is news in itself (a fault, a repair, a self-fence) rather than a change of state. */
    void note(Instant at, String kind, String server, String detail) {
        log.append(at, kind, server, null, null, detail);
    }

    /** Records every change since the last look, each with {@code cause} as its detail, then the holders that changed. */
    void look(Iterable<SimServer> servers, String cause, Instant at) {
        Map<String, TreeSet<String>> now = new TreeMap<>();
        for (SimServer s : servers) {
            String id = s.spec.id();
            Look was = last.getOrDefault(id, Look.NOTHING);
            Look is = Look.of(s);
            if (!is.equals(was)) changed(id, was, is, cause, at);
            last.put(id, is);
            if (s.powered && s.active != null) now.computeIfAbsent(s.active, p -> new TreeSet<>()).add(id);
        }
        TreeSet<String> profiles = new TreeSet<>(holders.keySet());
        profiles.addAll(now.keySet());
        for (String p : profiles) {
            List<String> is = now.containsKey(p) ? List.copyOf(now.get(p)) : List.of();
            if (is.equals(holders.getOrDefault(p, List.of()))) continue;
            log.append(at, HardwareEvent.HOLDERS, null, p, is, cause);
            if (is.isEmpty()) holders.remove(p);
            else holders.put(p, is);
        }
    }

    /** What went away first, then what came: a repair's power cycle reads off, then on again. */
    private void changed(String server, Look was, Look is, String cause, Instant at) {
        boolean lostPower = was.powered() && !is.powered();
        boolean powerOnCut = was.poweringOn() && !is.poweringOn() && !is.powered();
        if (lostPower || powerOnCut) append(at, HardwareEvent.POWER_OFF, server, null, cause);
        // What went with the power says so, whatever took the power away.
        String how = lostPower ? "power-off" : cause;
        boolean sameIdentity = Objects.equals(was.identity(), is.identity());
        if (was.workload() && (!is.workload() || !sameIdentity)) append(at, HardwareEvent.WORKLOAD_OFF, server, was.identity(), how);
        if (!sameIdentity && was.identity() != null) append(at, HardwareEvent.IDENTITY_OFF, server, was.identity(), how);
        if (!was.poweringOn() && is.poweringOn()) append(at, HardwareEvent.POWER_ON_ORDERED, server, null, cause);
        if (!was.powered() && is.powered()) append(at, HardwareEvent.POWER_ON, server, null, cause);
        if (!was.booted() && is.booted()) append(at, HardwareEvent.POWERED_ON, server, null, cause);
        if (!sameIdentity && is.identity() != null) append(at, HardwareEvent.IDENTITY_ON, server, is.identity(), cause);
        if (is.workload() && (!was.workload() || !sameIdentity)) append(at, HardwareEvent.WORKLOAD_ON, server, is.identity(), cause);
    }

    private void append(Instant at, String kind, String server, String profile, String detail) {
        log.append(at, kind, server, profile, null, detail);
    }
}

package io.understudy.sim;

import io.understudy.drivers.AgentListener;
import io.understudy.drivers.CallContext;
import io.understudy.drivers.DataDriver;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.IdentityDriver;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerReading;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.FcPort;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.ServerSpec;
import io.understudy.model.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A whole data center in one process: every server with its BMC (power, health) and its agent (heartbeats,
 * identity, workload), on the scheduler it is given. It is the power, identity and workload driver of its servers,
 * and it knows the truth that invariant tests check: which servers really hold a profile's identity right now.
 */
public final class SimDataCenter implements PowerDriver, IdentityDriver, WorkloadDriver, DataDriver {
    private final Scheduler scheduler;
    private final SimTimings timings;
    private final Map<String, SimServer> servers = new TreeMap<>();
    private final List<AgentListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Scheduler.Cancellable> loops = new ArrayList<>();
    private final HardwareLog log = new HardwareLog();
    private final TruthRecorder truth = new TruthRecorder(log);
    /** Each profile's alias addresses without their prefix length, as an agent reports them. */
    private final Map<String, List<String>> aliases = new TreeMap<>();
    /**
     * Profiles that start after others (ordered boot): their workload is not started by the server's boot, as a
     * service left out of the OS's boot sequence; the control plane starts it once what it follows runs.
     */
    private final java.util.Set<String> ordered = new java.util.TreeSet<>();

    /** Builds the data center as configured, each profile live on its home server, cold spares off, hot spares booted. */
    public SimDataCenter(DataCenterConfig config, Scheduler scheduler, SimTimings timings) {
        this.scheduler = scheduler;
        this.timings = timings;
        for (ServerSpec s : config.servers()) {
            Duration hb = config.groupOf(s.id()).map(g -> g.policy().heartbeatInterval()).orElse(Duration.ofSeconds(1));
            SimServer sim = new SimServer(s, hb);
            sim.selfFenceTimeout = config.groupOf(s.id()).map(g -> g.policy().selfFenceTimeout()).orElse(null);
            sim.powered = true;
            sim.booted = true;
            servers.put(s.id(), sim);
        }
        for (GroupSpec g : config.groups()) {
            for (String spare : g.spares()) {
                if (g.policy().protection() == ProtectionLevel.COLD) {
                    servers.get(spare).powered = false;
                    servers.get(spare).booted = false;
                }
            }
        }
        for (ProfileSpec p : config.profiles()) {
            if (!p.after().isEmpty()) ordered.add(p.id());
            aliases.put(p.id(), p.identity().addresses().stream().map(a -> a.replaceAll("/.*", "")).toList());
            SimServer home = servers.get(p.home());
            if (home == null) continue;
            home.assigned = p.id();
            home.active = p.id();
            home.workloadRunning = true;
        }
        look("initial");
    }

    /**
     * Puts the hardware where the replicated state says it is, for a control plane that restarts on a data center
     * that kept running: each profile live on the server it was moved to, servers that were fenced or off stay off.
     */
    public synchronized void adopt(Map<String, String> profileOnServer, java.util.Set<String> poweredOff) {
        for (SimServer s : servers.values()) {
            s.assigned = null;
            s.active = null;
            s.workloadRunning = false;
            s.powered = !poweredOff.contains(s.spec.id());
            s.booted = s.powered;
        }
        profileOnServer.forEach((profile, server) -> {
            SimServer s = servers.get(server);
            if (s == null) return;
            s.assigned = profile;
            if (s.powered) {
                s.active = profile;
                s.workloadRunning = true;
            }
        });
        look("adopted");
    }

    /**
     * Whether identities live in the servers' OS, as with real agents (alias addresses), instead of at the bay: then
     * power-off takes a server's identity with it and it boots with none. The control plane treats networked agents
     * so (it withdraws nothing from a fenced server), so a simulator serving them over the network must too, or a
     * repaired server would boot back into an identity that has moved on.
     */
    private volatile boolean identitiesLapseWhenOff;

    public SimDataCenter identitiesLapseWhenOff() {
        identitiesLapseWhenOff = true;
        return this;
    }

    @Override
    public boolean lapsesWhenOff(String server) {
        return identitiesLapseWhenOff;
    }

    public SimDataCenter addListener(AgentListener l) {
        listeners.add(l);
        return this;
    }

    /** Starts every agent's heartbeat loop. */
    public synchronized void start() {
        for (SimServer s : servers.values()) {
            loops.add(scheduler.every(s.heartbeatInterval, () -> beat(s)));
        }
    }

    public synchronized void stop() {
        loops.forEach(Scheduler.Cancellable::cancel);
        loops.clear();
    }

    private void beat(SimServer s) {
        boolean up;
        io.understudy.model.Resources has;
        List<String> held;
        synchronized (this) {
            up = s.agentUp();
            has = reported(s);
            held = held(s);
        }
        if (!up) return;
        listeners.forEach(l -> {
            l.heartbeat(s.spec.id(), scheduler.now());
            l.inventory(s.spec.id(), has, scheduler.now());
            l.addresses(s.spec.id(), held, scheduler.now());
        });
    }

    /** The alias addresses the server's identity interface holds now, as a real agent reports with each heartbeat. */
    public synchronized List<String> heldAddresses(String server) {
        return held(server(server));
    }

    private List<String> held(SimServer s) {
        if (!s.powered || s.active == null) return List.of();
        return aliases.getOrDefault(s.active, List.of());
    }

    /** What each agent reports of its server when a test made it report otherwise; the others report their configuration. */
    private final Map<String, io.understudy.model.Resources> reportedInstead = new TreeMap<>();

    private io.understudy.model.Resources reported(SimServer s) {
        return reportedInstead.getOrDefault(s.spec.id(), io.understudy.model.Resources.configured(s.spec));
    }

    /** The resources the server's agent reports with its heartbeats: as configured unless {@link #reportResources} said otherwise. */
    public synchronized io.understudy.model.Resources reported(String server) {
        return reported(server(server));
    }

    /**
     * Makes the server's agent report {@code resources} (a DIMM or a CPU lost, another board fitted) from its next
     * heartbeat on; null reports the configuration again.
     */
    public synchronized void reportResources(String server, io.understudy.model.Resources resources) {
        server(server);
        if (resources == null) reportedInstead.remove(server);
        else reportedInstead.put(server, resources);
    }

    // ---- fault injection -------------------------------------------------------------------------------------

    public void inject(String server, Fault fault) {
        SimServer s;
        synchronized (this) {
            s = server(server);
            truth.note(scheduler.now(), HardwareEvent.FAULT, server, fault.wire());
            s.faults.add(fault);
            if (fault == Fault.ISOLATED) selfFenceLater(s);
            switch (fault) {
                case CRASH -> {
                    s.workloadRunning = false;
                    s.preloaded.clear();
                }
                case POWER_LOSS -> powerDown(s);
                default -> { }
            }
            look(fault.wire());
        }
        if (fault == Fault.HW_EVENT) {
            listeners.forEach(l -> l.hardwareEvent(server, "uncorrectable memory error (DIMM 3)", scheduler.now()));
        }
    }

    /** The operator fixed the server: faults cleared; a server left off is powered on and boots (with no identity it has lost). */
    public synchronized void repair(String server) {
        SimServer s = server(server);
        truth.note(scheduler.now(), HardwareEvent.REPAIR, server, null);
        boolean crashed = s.faults.contains(Fault.CRASH) || s.faults.contains(Fault.HANG);
        s.faults.clear();
        if (crashed) powerDown(s);
        if (!s.powered) startPowerOn(s);
        look("repair");
    }

    /** An isolated agent fences itself after its group's self-fence timeout, if the group sets one. */
    private void selfFenceLater(SimServer s) {
        if (s.selfFenceTimeout == null) return;
        long gen = s.generation;
        scheduler.schedule(s.selfFenceTimeout, () -> {
            synchronized (this) {
                if (s.generation != gen || !s.faults.contains(Fault.ISOLATED)) return;
                truth.note(scheduler.now(), HardwareEvent.SELF_FENCE, s.spec.id(), null);
                s.active = null;
                s.workloadRunning = false;
                s.preloaded.clear();
                look("self-fence");
            }
        });
    }

    private SimServer server(String id) {
        SimServer s = servers.get(id);
        if (s == null) throw new IllegalArgumentException("unknown server '" + id + "'");
        return s;
    }

    private void powerDown(SimServer s) {
        s.generation++;
        s.powered = false;
        s.poweringOn = false;
        s.booted = false;
        s.active = null;
        if (identitiesLapseWhenOff) s.assigned = null;
        s.workloadRunning = false;
        s.preloaded.clear();
    }

    private void startPowerOn(SimServer s) {
        if (s.poweringOn) return;
        s.poweringOn = true;
        long gen = ++s.generation;
        scheduler.schedule(timings.powerOn(), () -> {
            synchronized (this) {
                if (s.generation != gen) return;
                s.powered = true;
                s.poweringOn = false;
                look("power-on");
            }
            scheduler.schedule(timings.boot(), () -> booted(s, gen));
        });
    }

    private synchronized void booted(SimServer s, long gen) {
        if (s.generation != gen || !s.powered) return;
        s.booted = true;
        if (s.assigned != null) {
            s.active = s.assigned;
            s.workloadRunning = !ordered.contains(s.assigned);
        }
        look("booted");
    }

    /** Records what changed in the hardware since the last look; every operation that may change it ends here. */
    private void look(String cause) {
        truth.look(servers.values(), cause, scheduler.now());
    }

    // ---- PowerDriver -------------------------------------------------------------------------------------------

    private void bmc(SimServer s, CallContext ctx) throws DriverException {
        if (s.faults.contains(Fault.BMC_DOWN)) throw new DriverException(Kind.UNREACHABLE, "BMC of " + s.spec.id() + " does not answer");
        if (ctx.term() < s.highestTerm) {
            throw new DriverException(Kind.REFUSED, "order from term " + ctx.term() + " refused: term " + s.highestTerm + " seen");
        }
        s.highestTerm = ctx.term();
    }

    @Override
    public synchronized void powerOff(String server, CallContext ctx) throws DriverException {
        SimServer s = server(server);
        bmc(s, ctx);
        if (s.faults.contains(Fault.STUCK_POWER)) return;
        if (!s.powered) {
            // A hard power-off while the server is powering on leaves it off, as on real hardware; before, the
            // power-on went on, the server booted into its identity after the fence read "off" (split brain).
            if (s.poweringOn) powerDown(s);
            look("ordered");
            return;
        }
        long gen = s.generation;
        scheduler.schedule(timings.powerOff(), () -> {
            synchronized (this) {
                if (s.generation == gen) powerDown(s);
                look("ordered");
            }
        });
    }

    @Override
    public synchronized void powerOn(String server, CallContext ctx) throws DriverException {
        SimServer s = server(server);
        bmc(s, ctx);
        if (s.faults.contains(Fault.STUCK_POWER)) return;
        if (s.faults.contains(Fault.POWER_LOSS)) throw new DriverException(Kind.FAILED, "bay of " + server + " has no power");
        if (s.powered) return;
        startPowerOn(s);
        look("ordered");
    }

    @Override
    public synchronized PowerReading read(String server, CallContext ctx) throws DriverException {
        SimServer s = server(server);
        bmc(s, ctx);
        boolean critical = s.faults.contains(Fault.CRASH) || s.faults.contains(Fault.HW_EVENT);
        String detail = s.faults.contains(Fault.CRASH) ? "OS stopped responding (crash)"
                : s.faults.contains(Fault.HW_EVENT) ? "uncorrectable memory error (DIMM 3)" : "ok";
        return new PowerReading(s.powered ? PowerReading.Power.ON : PowerReading.Power.OFF,
                critical ? PowerReading.Health.CRITICAL : PowerReading.Health.OK, detail);
    }

    // ---- IdentityDriver ----------------------------------------------------------------------------------------

    private SimServer agent(String server, CallContext ctx) throws DriverException {
        SimServer s = server(server);
        if (!s.agentUp()) throw new DriverException(Kind.UNREACHABLE, "agent of " + server + " does not answer (" + s.state() + ")");
        if (ctx.term() < s.highestTerm) {
            throw new DriverException(Kind.REFUSED, "order from term " + ctx.term() + " refused: term " + s.highestTerm + " seen");
        }
        s.highestTerm = ctx.term();
        return s;
    }

    @Override
    public synchronized void assign(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        SimServer s = server(server);
        if (!s.powered || !s.booted) {
            s.assigned = profile.id();   // through the fabric, like a blade server profile: live at boot
            return;
        }
        agent(server, ctx);
        if (profile.id().equals(s.active)) return;
        for (FcPort port : profile.identity().fcPorts()) {
            if (port.bootFromSan()) {
                throw new DriverException(Kind.REFUSED, "port " + port.name() + " is a boot-from-SAN (privileged) port;"
                        + " it is never rewritten on a running server");
            }
        }
        if (s.active != null) throw new DriverException(Kind.REFUSED, server + " already holds the identity of " + s.active);
        s.assigned = profile.id();
        long gen = s.generation;
        scheduler.schedule(timings.identityApply(), () -> {
            synchronized (this) {
                if (s.generation == gen && s.agentUp() && profile.id().equals(s.assigned)) {
                    s.active = profile.id();
                    // A preloaded workload answers the moment its identity arrives.
                    if (s.preloaded.remove(profile.id())) s.workloadRunning = true;
                }
                look("assigned");
            }
        });
    }

    @Override
    public synchronized void release(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        SimServer s = server(server);
        if (s.powered) agent(server, ctx);
        if (profile.id().equals(s.active)) {
            // The workload's processes outlive the identity (a preloaded standby keeps serving nobody until the next one).
            if (s.workloadRunning) s.preloaded.add(profile.id());
            s.active = null;
            s.workloadRunning = false;
        }
        if (profile.id().equals(s.assigned)) s.assigned = null;
        look("released");
    }

    @Override
    public synchronized boolean holds(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        SimServer s = server(server);
        if (!s.powered) return false;
        agent(server, ctx);
        return profile.id().equals(s.active);
    }

    // ---- WorkloadDriver ----------------------------------------------------------------------------------------

    @Override
    public synchronized void start(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        SimServer s = agent(server, ctx);
        if (s.workloadRunning && profile.id().equals(s.active)) return;
        if (s.preloaded.contains(profile.id())) return;
        long gen = s.generation;
        scheduler.schedule(timings.workloadStart(), () -> {
            synchronized (this) {
                if (s.generation != gen || !s.agentUp()) return;
                if (profile.id().equals(s.active)) s.workloadRunning = true;
                else s.preloaded.add(profile.id());
                look("started");
            }
        });
    }

    @Override
    public synchronized void stop(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        SimServer s = agent(server, ctx);
        if (profile.id().equals(s.active)) s.workloadRunning = false;
        s.preloaded.remove(profile.id());
        look("stopped");
    }

    /**
     * The hardware's truth, for what stands in for a process on a simulated server (its lockstep pair member): whether
     * the profile's workload runs there now. Not an order: no fencing token is seen or raised.
     */
    public synchronized boolean workloadRuns(String server, String profile) {
        SimServer s = server(server);
        return s.agentUp() && (profile.equals(s.active) && s.workloadRunning || s.preloaded.contains(profile));
    }

    @Override
    public synchronized Status monitor(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        SimServer s = agent(server, ctx);
        boolean running = profile.id().equals(s.active) && s.workloadRunning || s.preloaded.contains(profile.id());
        return running ? Status.RUNNING : Status.NOT_RUNNING;
    }

    // ---- DataDriver: backups as records on each server's disk -------------------------------------------------

    private static final int KEEP = 2;

    @Override
    public synchronized BackupInfo backup(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        SimServer s = agent(server, ctx);
        if (profile.dataDir() == null) throw new DriverException(Kind.FAILED, "profile " + profile.id() + " names no dataDir");
        long now = scheduler.now().toEpochMilli();
        String name = String.format("%s-%d", server, now);
        BackupInfo b = new BackupInfo(profile.id(), name, now, 1024, Integer.toHexString((profile.id() + name).hashCode()));
        keep(s, b);
        return b;
    }

    @Override
    public synchronized Backups backups(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        SimServer s = agent(server, ctx);
        return new Backups(List.copyOf(s.backups.getOrDefault(profile.id(), List.of())), 1L << 40);
    }

    @Override
    public synchronized void copy(String source, String target, ProfileSpec profile, BackupInfo backup, boolean reload,
                                  CallContext ctx) throws DriverException {
        SimServer t = agent(target, ctx);
        SimServer src = server(source);
        if (!src.agentUp()) throw new DriverException(Kind.FAILED, "copy of " + backup.name() + " from " + source + " failed: its agent does not answer");
        if (src.backups.getOrDefault(profile.id(), List.of()).stream().noneMatch(b -> b.name().equals(backup.name()))) {
            throw new DriverException(Kind.FAILED, "copy failed: " + source + " keeps no backup " + backup.name());
        }
        if (t.corruptCopies) {
            throw new DriverException(Kind.FAILED, "copy of " + backup.name() + " from " + source + " is corrupt: sha256 differs");
        }
        keep(t, backup);
        if (reload) t.dataFrom.put(profile.id(), backup.name());
    }

    @Override
    public synchronized java.util.Optional<BackupInfo> restore(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
        SimServer s = agent(server, ctx);
        List<BackupInfo> kept = s.backups.getOrDefault(profile.id(), List.of());
        if (kept.isEmpty()) return java.util.Optional.empty();
        s.dataFrom.put(profile.id(), kept.get(0).name());
        return java.util.Optional.of(kept.get(0));
    }

    private static void keep(SimServer s, BackupInfo b) {
        List<BackupInfo> kept = new ArrayList<>(s.backups.getOrDefault(b.profile(), List.of()));
        if (kept.stream().anyMatch(k -> k.name().equals(b.name()))) return;
        kept.add(b);
        kept.sort(java.util.Comparator.comparingLong(BackupInfo::takenAt).thenComparing(BackupInfo::name).reversed());
        s.backups.put(b.profile(), List.copyOf(kept.subList(0, Math.min(KEEP, kept.size()))));
    }

    /** From now on copies to {@code server} arrive corrupt (or, with false, whole again). */
    public synchronized void corruptCopiesTo(String server, boolean corrupt) {
        server(server).corruptCopies = corrupt;
    }

    /** The backup the profile's data directory on {@code server} was last restored from; empty if never. */
    public synchronized java.util.Optional<String> dataFrom(String server, String profile) {
        return java.util.Optional.ofNullable(server(server).dataFrom.get(profile));
    }

    /** The backups {@code server} keeps for the profile, newest first. */
    public synchronized List<BackupInfo> keptBackups(String server, String profile) {
        return List.copyOf(server(server).backups.getOrDefault(profile, List.of()));
    }

    // ---- the truth, for tests and the demo ---------------------------------------------------------------------

    /** Servers on which the profile's identity is live right now (powered on and applied): invariant 1 wants ≤ 1. */
    public synchronized List<String> holders(String profile) {
        return servers.values().stream().filter(s -> s.powered && profile.equals(s.active)).map(s -> s.spec.id()).toList();
    }

    /** Every change of the hardware's truth so far, in order: the ground truth that fault campaigns check. */
    public HardwareLog hardwareLog() {
        return log;
    }

    /** A server as the simulator sees it. */
    public record View(String id, String state, List<String> faults, String identity, boolean workloadRunning) {}

    public synchronized View view(String server) {
        SimServer s = server(server);
        return new View(s.spec.id(), s.state(), s.faults.stream().map(Fault::wire).toList(), s.active, s.workloadRunning);
    }

    public synchronized List<View> views() {
        return servers.keySet().stream().map(this::view).toList();
    }

    public synchronized boolean knows(String server) {
        return servers.containsKey(server);
    }
}

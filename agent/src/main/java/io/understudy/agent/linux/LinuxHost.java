package io.understudy.agent.linux;

import io.understudy.agent.Host;
import io.understudy.agent.linux.IpLink.Alias;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.config.FcPort;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.time.Scheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A real Linux server as a {@link Host}: alias addresses on one interface ({@code ip addr replace}/{@code del}),
 * announced by gratuitous ARP (iputils {@code arping}) at once, a few times more, then periodically; the profile's
 * MAC on that interface when {@link LinuxHostSettings#setMac()}; its hostname in a file; its workload through
 * {@code sh -c}; its other FC ports as NPIV virtual ports on this server's HBAs ({@link NpivPorts}). A boot-from-SAN
 * port is refused: only an enclosure that assigns addresses at the bay moves one, before the server boots.
 *
 * <p>Identity changes are checked whole before the first one is made, so a refused profile leaves the server
 * untouched. The check includes duplicate address detection ({@link AddressProbe}): an alias another host answers
 * for is not taken. They are serialised on this object; release stops the announcements before removing the addresses.
 */
public final class LinuxHost implements Host, AutoCloseable {
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final LinuxHostSettings settings;
    private final IpLink link;
    private final Announcer announcer;
    private final LinuxWorkload workload;
    private final AddressProbe probe;
    /** The interface's MAC before any profile's: what release puts back. */
    private final String ownMac;
    /** Where the kernel's FC transport is: /sys, a temporary tree in tests. */
    private volatile NpivPorts npiv = new NpivPorts(Path.of("/sys"));

    private LinuxHost(LinuxHostSettings settings, IpLink link, Announcer announcer, LinuxWorkload workload,
                      AddressProbe probe, String ownMac) {
        this.settings = settings;
        this.link = link;
        this.announcer = announcer;
        this.workload = workload;
        this.probe = probe;
        this.ownMac = ownMac;
    }

    /** Starts on this machine; see {@link #start(LinuxHostSettings, CommandRunner, Scheduler)}. */
    public static LinuxHost start(LinuxHostSettings settings, Scheduler scheduler) throws DriverException {
        return start(settings, CommandRunner.local(), scheduler);
    }

    /**
     * Checks the tools and the interface, and remembers the interface's own MAC.
     *
     * @param runner every command goes through it (tests prefix {@code ip netns exec NS})
     * @param scheduler times the periodic gratuitous ARP
     * @throws DriverException FAILED when arping is not iputils' or the interface does not exist
     */
    public static LinuxHost start(LinuxHostSettings settings, CommandRunner runner, Scheduler scheduler) throws DriverException {
        Announcer.requireIputils(runner, settings.commandTimeout());
        IpLink link = new IpLink(runner, settings.interfaceName(), settings.commandTimeout());
        String own = link.permanentMac().orElse(link.mac());
        return new LinuxHost(settings, link, new Announcer(runner, settings, scheduler),
                new LinuxWorkload(runner, settings.workloadTimeout()),
                new AddressProbe(runner, settings.interfaceName(), settings.dadTimeout(), settings.commandTimeout()), own);
    }

    /**
     * Adds the profile's identity. Each alias not on the interface yet is probed first, all at once (about
     * {@link LinuxHostSettings#dadTimeout()} after arping's probe went out, more on a loaded machine: see
     * {@link AddressProbe}); aliases already here are not, so applying again is quiet.
     *
     * @throws DriverException CONFLICT, with nothing changed, when another host answers for an alias to be added;
     *     FAILED, with nothing changed, when an alias could not be probed (it is never assumed free)
     */
    @Override
    public void applyIdentity(ProfileSpec profile) throws DriverException {
        Identity id = profile.identity();
        List<NpivPorts.Placement> vports = checkFcPorts(profile);
        List<Alias> aliases = aliases(id);
        Optional<String> mac = mac(profile);
        String hostname = hostname(id);
        synchronized (this) {
            Map<String, Integer> present = link.addresses();
            List<Alias> missing = aliases.stream().filter(a -> !present.containsKey(a.address())).toList();
            refuseAnswered(missing);
            npiv.create(vports);
            // The MAC first: arping announces whatever MAC the interface has when it runs.
            if (mac.isPresent() && !mac.get().equals(link.mac())) link.setMac(mac.get());
            for (Alias a : missing) link.add(a);
            if (hostname != null) writeHostname(hostname);
            announcer.start(profile.id(), aliases);
        }
    }

    /** Throws CONFLICT naming each address another host answers for, before anything is changed. */
    private void refuseAnswered(List<Alias> missing) throws DriverException {
        Map<String, String> answered = probe.answering(missing.stream().map(Alias::address).toList());
        if (answered.isEmpty()) return;
        List<String> each = new ArrayList<>();
        answered.forEach((address, mac) -> each.add("address " + address + " is answered by MAC " + mac + " on "
                + settings.interfaceName() + ": foreign equipment or another server holds it; not taking it"));
        throw new DriverException(Kind.CONFLICT, String.join("; ", each));
    }

    /** Takes back what {@link #applyIdentity} wrote (boot-from-SAN ports are never written, so never deleted). */
    @Override
    public void releaseIdentity(ProfileSpec profile) throws DriverException {
        Identity id = profile.identity();
        List<FcPort> vports = movable(id);
        List<Alias> aliases = aliases(id);
        Optional<String> mac = mac(profile);
        synchronized (this) {
            announcer.withdraw(profile.id());
            Map<String, Integer> present = link.addresses();
            for (Alias a : aliases) {
                Integer prefix = present.get(a.address());
                // With the prefix it has, not the one asked: del with another prefix would leave it in place.
                if (prefix != null) link.delete(new Alias(a.address(), prefix));
            }
            if (mac.isPresent() && mac.get().equals(link.mac())) {
                if (mac.get().equals(ownMac)) {
                    throw new DriverException(Kind.FAILED, "cannot give " + settings.interfaceName() + " its own MAC back:"
                            + " it already had the profile's MAC " + mac.get() + " when the agent started");
                }
                link.setMac(ownMac);
            }
            removeHostname(id.hostname());
            npiv.delete(vports);
        }
    }

    /** True when every alias address is on the interface (and the profile's MAC, when this host sets MACs). */
    @Override
    public synchronized boolean holdsIdentity(ProfileSpec profile) throws DriverException {
        List<Alias> aliases = aliases(profile.identity());
        Optional<String> mac = mac(profile);
        List<FcPort> vports = movable(profile.identity());
        if (aliases.isEmpty() && mac.isEmpty() && vports.isEmpty()) return false;
        if (!npiv.hold(vports)) return false;
        if (!aliases.isEmpty()) {
            Map<String, Integer> present = link.addresses();
            for (Alias a : aliases) if (!present.containsKey(a.address())) return false;
        }
        return mac.isEmpty() || mac.get().equals(link.mac());
    }

    /**
     * Every IPv4 address on the interface now ({@code a.b.c.d}, no prefix): the server's own and every alias, whoever
     * put it there. Reported with heartbeats, so the control plane can see an alias held by two servers. Not under the
     * identity lock: the heartbeat thread reads it, and {@link #applyIdentity} holds that lock through its ARP probe
     * (about a second), which silenced a spare's heartbeats as it took a profile and got it failed over (CI, the
     * namespace lab's preloaded switchover). A listing taken during a change shows one side of it.
     */
    @Override
    public List<String> heldAddresses() throws DriverException {
        return List.copyOf(link.addresses().keySet());
    }

    @Override
    public void startWorkload(ProfileSpec profile) throws DriverException {
        workload.start(profile);
    }

    @Override
    public void stopWorkload(ProfileSpec profile) throws DriverException {
        workload.stop(profile);
    }

    /** Where profiles' data directories are resolved: "/" on a real server, a directory of its own per lab host. */
    public LinuxHost dataRoot(java.nio.file.Path root) {
        workload.dataRoot(root);
        return this;
    }

    @Override
    public void reloadWorkload(ProfileSpec profile) throws DriverException {
        workload.reload(profile);
    }

    @Override
    public WorkloadDriver.Status monitorWorkload(ProfileSpec profile) throws DriverException {
        return workload.monitor(profile);
    }

    @Override
    public Inventory inventory() {
        return LinuxInventory.read(LinuxInventory.DMI_PRODUCT_NAME, LinuxInventory.MEMINFO, settings.fallbackModel(),
                Runtime.getRuntime().availableProcessors());
    }

    /** Whether the profile's addresses are being re-announced (between apply and release). */
    /** Waits (bounded) for the first gratuitous-ARP round of the profile, which {@link #applyIdentity} does not wait for. */
    public boolean awaitFirstAnnouncement(ProfileSpec profile, java.time.Duration limit) throws InterruptedException {
        return announcer.awaitFirstRound(profile.id(), limit);
    }

    public boolean announcing(ProfileSpec profile) {
        return announcer.announcing(profile.id());
    }

    /** Stops every periodic announcement; the identity stays as it is (the agent is shutting down, not releasing). */
    @Override
    public void close() {
        announcer.withdrawAll();
    }

    /** Where the kernel's FC transport is found (default /sys): tests give a tree of their own. */
    public LinuxHost sysfsRoot(Path root) {
        npiv = new NpivPorts(root);
        return this;
    }

    /** Refuses a boot-from-SAN port; places the others on NPIV-capable HBAs, failing when there are too few. */
    private List<NpivPorts.Placement> checkFcPorts(ProfileSpec p) throws DriverException {
        List<FcPort> ports = p.identity().fcPorts();
        for (FcPort f : ports) {
            if (f.bootFromSan()) {
                throw new DriverException(Kind.REFUSED, "boot-from-SAN port " + f.name() + " (WWPN " + f.wwpn()
                        + ") of profile " + p.id() + " is never rewritten on a running server; move it with a cold failover");
            }
        }
        return npiv.plan(ports);
    }

    /** The FC ports this host writes (as NPIV vports): all but boot-from-SAN ones. */
    private static List<FcPort> movable(Identity id) {
        return id.fcPorts().stream().filter(f -> !f.bootFromSan()).toList();
    }

    private List<Alias> aliases(Identity id) throws DriverException {
        List<Alias> out = new ArrayList<>();
        for (String a : id.addresses()) out.add(IpLink.alias(a, settings.prefix()));
        return out;
    }

    /** The MAC to write, when this host writes MACs and the profile has one. */
    private Optional<String> mac(ProfileSpec p) throws DriverException {
        List<String> macs = p.identity().macs();
        if (!settings.setMac() || macs.isEmpty()) return Optional.empty();
        if (macs.size() > 1) {
            throw new DriverException(Kind.FAILED, "profile " + p.id() + " lists " + macs.size() + " MACs but this host"
                    + " carries identity on one interface (" + settings.interfaceName() + ")");
        }
        return Optional.of(IpLink.mac(macs.get(0)));
    }

    /** The hostname to write, or null when there is no file to write it to or nothing to write. */
    private String hostname(Identity id) throws DriverException {
        if (settings.hostnameFile() == null || id.hostname() == null || id.hostname().isBlank()) return null;
        String h = id.hostname().strip();
        if (!HOSTNAME.matcher(h).matches()) throw new DriverException(Kind.FAILED, "hostname '" + h + "' is not a valid host name");
        return h;
    }

    private void writeHostname(String hostname) throws DriverException {
        Path file = settings.hostnameFile();
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".hostname", ".tmp");
            Files.writeString(tmp, hostname + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, "cannot write hostname to " + file + ": " + e.getMessage());
        }
    }

    /** Removes the hostname file only while it still names this profile: another profile's is not ours to remove. */
    private void removeHostname(String hostname) throws DriverException {
        Path file = settings.hostnameFile();
        if (file == null || hostname == null || !Files.exists(file)) return;
        try {
            if (Files.readString(file, StandardCharsets.UTF_8).strip().equals(hostname.strip())) Files.delete(file);
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, "cannot remove hostname file " + file + ": " + e.getMessage());
        }
    }
}

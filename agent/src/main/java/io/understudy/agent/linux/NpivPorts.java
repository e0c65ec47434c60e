package io.understudy.agent.linux;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.model.config.FcPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A profile's Fibre Channel ports as NPIV virtual ports on this server's own HBAs — how Linux moves a WWPN without an
 * enclosure. Through the kernel's FC transport in sysfs: {@code "WWPN:WWNN"} (16 hex digits each, no colons) written
 * to {@code class/fc_host/hostN/vport_create} makes a vport on physical port hostN, the same written to its
 * {@code vport_delete} removes it; each vport shows as {@code class/fc_vports/vport-N:C-I} with {@code port_name}
 * ({@code 0x…}). A boot-from-SAN port cannot be one (the OS booted through the physical port's own WWPN): callers
 * refuse those first.
 *
 * <p>The profile's i-th port goes on the i-th physical port that can carry vports (has {@code vport_create}, and
 * {@code max_npiv_vports} above zero when it says), by host number, so a profile's A and B ports land on the two
 * fabrics' HBAs in order. Create and delete are idempotent: a vport already there (or already gone) is left alone.
 * The sysfs root is given, so tests run against a tree in a temporary directory.
 */
final class NpivPorts {
    private final Path sysfs;

    NpivPorts(Path sysfsRoot) {
        this.sysfs = sysfsRoot;
    }

    /** One port of the profile and the physical fc_host it goes on. */
    record Placement(FcPort port, String host) {
        String kernelIds() throws DriverException {
            return hex(port.wwpn()) + ":" + hex(port.wwnn());
        }
    }

    /**
     * Where each port would go, checked before anything is written (so a refused profile changes nothing).
     *
     * @throws DriverException FAILED when a WWN is not 8 bytes of hex, or there are fewer NPIV-capable ports than ports
     */
    List<Placement> plan(List<FcPort> ports) throws DriverException {
        if (ports.isEmpty()) return List.of();
        for (FcPort p : ports) {
            hex(p.wwpn());
            hex(p.wwnn());
        }
        List<String> hosts = capableHosts();
        if (hosts.size() < ports.size()) {
            throw new DriverException(Kind.FAILED, "cannot move WWPNs " + ports.stream().map(FcPort::wwpn).toList() + ": "
                    + (hosts.isEmpty() ? "no NPIV-capable fc_host" : "only " + hosts.size() + " NPIV-capable fc_host(s) " + hosts)
                    + " under " + sysfs.resolve("class/fc_host"));
        }
        List<Placement> out = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) out.add(new Placement(ports.get(i), hosts.get(i)));
        return out;
    }

    /** Creates each vport not there yet. */
    void create(List<Placement> plan) throws DriverException {
        Map<String, String> present = vports();
        for (Placement p : plan) {
            if (present.containsKey(hex(p.port().wwpn()))) continue;
            write(sysfs.resolve("class/fc_host").resolve(p.host()).resolve("vport_create"), p.kernelIds(), "create vport for " + p.port().name());
        }
    }

    /** Deletes each of the ports' vports still there, through the physical port it hangs from. */
    void delete(List<FcPort> ports) throws DriverException {
        Map<String, String> present = vports();
        for (FcPort p : ports) {
            String parent = present.get(hex(p.wwpn()));
            if (parent == null) continue;
            write(sysfs.resolve("class/fc_host").resolve(parent).resolve("vport_delete"), hex(p.wwpn()) + ":" + hex(p.wwnn()),
                    "delete vport of " + p.name());
        }
    }

    /** Whether every port has its vport here. */
    boolean hold(List<FcPort> ports) throws DriverException {
        Map<String, String> present = vports();
        for (FcPort p : ports) if (!present.containsKey(hex(p.wwpn()))) return false;
        return true;
    }

    /** The kernel's form of a WWN: 16 hex digits, no colons ("50:01:43:80:…" → "50014380…"). */
    static String hex(String wwn) throws DriverException {
        String h = wwn == null ? "" : wwn.replace(":", "").replace("-", "").toLowerCase(Locale.ROOT);
        if (h.startsWith("0x")) h = h.substring(2);
        if (!h.matches("[0-9a-f]{16}")) throw new DriverException(Kind.FAILED, "'" + wwn + "' is not a WWN (8 bytes of hex)");
        return h;
    }

    /** Physical fc_hosts that take vports, by host number. */
    private List<String> capableHosts() throws DriverException {
        Path dir = sysfs.resolve("class/fc_host");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> hosts = Files.list(dir)) {
            return hosts.filter(h -> Files.exists(h.resolve("vport_create")))
                    .filter(h -> read(h.resolve("max_npiv_vports")).map(v -> !v.equals("0")).orElse(true))
                    .map(h -> h.getFileName().toString())
                    .sorted(Comparator.comparingInt(NpivPorts::hostNumber).thenComparing(Comparator.naturalOrder()))
                    .toList();
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, "cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** Each vport present: its WWPN (kernel form) → the physical fc_host it was made on ("vport-5:0-0" → host5). */
    private Map<String, String> vports() throws DriverException {
        Path dir = sysfs.resolve("class/fc_vports");
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> vports = Files.list(dir)) {
            for (Path v : vports.toList()) {
                String name = v.getFileName().toString();
                Optional<String> wwpn = read(v.resolve("port_name"));
                if (!name.startsWith("vport-") || name.indexOf(':') < 0 || wwpn.isEmpty()) continue;
                out.put(hex(wwpn.get()), "host" + name.substring("vport-".length(), name.indexOf(':')));
            }
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, "cannot list " + dir + ": " + e.getMessage());
        }
        return out;
    }

    private static int hostNumber(String host) {
        try {
            return Integer.parseInt(host.replaceFirst("^host", ""));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A sysfs attribute exists already: never create one (a missing file means the kernel has no such port). */
    private static void write(Path attribute, String value, String what) throws DriverException {
        try {
            Files.writeString(attribute, value + "\n", StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, "cannot " + what + " (" + value + " to " + attribute + "): " + e.getMessage());
        }
    }
}

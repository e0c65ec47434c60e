package io.understudy.agent.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.process.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The iproute2 calls on the one interface that carries the profiles' identity; reads back through {@code ip -j}. */
final class IpLink {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");
    private static final Pattern MAC = Pattern.compile("(?:[0-9a-f]{2}:){5}[0-9a-f]{2}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An IPv4 alias address with the prefix it is configured with. */
    record Alias(String address, int prefix) {
        String cidr() {
            return address + "/" + prefix;
        }
    }

    private final CommandRunner runner;
    private final String dev;
    private final Duration timeout;

    IpLink(CommandRunner runner, String dev, Duration timeout) {
        this.runner = runner;
        this.dev = dev;
        this.timeout = timeout;
    }

    String dev() {
        return dev;
    }

    /** Parses {@code a.b.c.d} or {@code a.b.c.d/p}; IPv6 is refused because gratuitous ARP cannot announce it. */
    static Alias alias(String text, int defaultPrefix) throws DriverException {
        String t = text == null ? "" : text.trim();
        if (t.contains(":")) {
            throw new DriverException(Kind.FAILED, "alias address " + t + " is IPv6; only IPv4 aliases are supported"
                    + " (gratuitous ARP cannot announce IPv6)");
        }
        Matcher m = IPV4.matcher(t);
        if (!m.matches()) throw new DriverException(Kind.FAILED, "alias address '" + t + "' is not an IPv4 address");
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) throw new DriverException(Kind.FAILED, "alias address '" + t + "' is not an IPv4 address");
        }
        int prefix = m.group(5) == null ? defaultPrefix : Integer.parseInt(m.group(5));
        if (prefix < 1 || prefix > 32) throw new DriverException(Kind.FAILED, "alias address '" + t + "' has prefix /" + prefix + "; expected 1..32");
        return new Alias(m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4), prefix);
    }

    static String mac(String text) throws DriverException {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', ':');
        if (!MAC.matcher(t).matches()) throw new DriverException(Kind.FAILED, "MAC '" + text + "' is not of the form 02:00:00:00:00:01");
        return t;
    }

    /** The IPv4 addresses on the interface now, each with its prefix length. */
    Map<String, Integer> addresses() throws DriverException {
        Map<String, Integer> found = new LinkedHashMap<>();
        for (JsonNode a : show(List.of("ip", "-j", "addr", "show", "dev", dev)).path("addr_info")) {
            if ("inet".equals(a.path("family").asText())) found.put(a.path("local").asText(), a.path("prefixlen").asInt());
        }
        return found;
    }

    /** Adds {@code a}, or leaves it as it is when already there ({@code replace} is idempotent). */
    void add(Alias a) throws DriverException {
        check(runner.run(List.of("ip", "addr", "replace", a.cidr(), "dev", dev), timeout), "add " + a.cidr() + " to " + dev);
    }

    /** Removes {@code a}; an address that is not there counts as removed. */
    void delete(Alias a) throws DriverException {
        ProcessRunner.Result r = runner.run(List.of("ip", "addr", "del", a.cidr(), "dev", dev), timeout);
        if (r.exit() == 0 || notFound(r)) return;
        check(r, "remove " + a.cidr() + " from " + dev);
    }

    /** iproute2 exits 2 for a missing address: "Address not found" now, "Cannot assign requested address" on older kernels. */
    static boolean notFound(ProcessRunner.Result r) {
        String err = r.stderr().toLowerCase(Locale.ROOT);
        return r.exit() == 2 && (err.contains("address not found") || err.contains("cannot assign requested address"));
    }

    String mac() throws DriverException {
        return link().path("address").asText().toLowerCase(Locale.ROOT);
    }

    /** The hardware's own MAC when the kernel knows it and it differs from the current one (a physical NIC). */
    Optional<String> permanentMac() throws DriverException {
        String p = link().path("permaddr").asText("");
        return p.isEmpty() ? Optional.empty() : Optional.of(p.toLowerCase(Locale.ROOT));
    }

    void setMac(String mac) throws DriverException {
        check(runner.run(List.of("ip", "link", "set", "dev", dev, "address", mac), timeout), "set the MAC of " + dev + " to " + mac);
    }

    private JsonNode link() throws DriverException {
        return show(List.of("ip", "-j", "link", "show", "dev", dev));
    }

    private JsonNode show(List<String> argv) throws DriverException {
        ProcessRunner.Result r = runner.run(argv, timeout);
        check(r, "read " + dev);
        try {
            JsonNode all = JSON.readTree(r.stdout());
            if (!all.isArray() || all.isEmpty()) throw new DriverException(Kind.FAILED, CommandRunner.show(argv) + " printed no interface");
            return all.get(0);
        } catch (IOException e) {
            throw new DriverException(Kind.FAILED, CommandRunner.show(argv) + " printed what is not JSON: " + e.getMessage());
        }
    }

    private static void check(ProcessRunner.Result r, String what) throws DriverException {
        if (r.exit() != 0) throw new DriverException(Kind.FAILED, "cannot " + what + ": ip exited " + r.exit() + ": " + firstLine(r.stderr()));
    }

    static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}

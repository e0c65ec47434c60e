package io.understudy.drivers.peers;

import io.understudy.drivers.process.Tools;
import io.understudy.model.config.Bmc;
import io.understudy.testkit.Executables;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real IPMI BMC on loopback: Debian's {@code ipmi_sim} serving lanplus on a free UDP port of 127.0.0.1, with a fresh
 * state directory and a stand-in host whose power is a file, switched by a {@code chassis_control} script (so power
 * status, on, off, cycle and soft all work). Touching {@code stuck} makes it accept power orders and do nothing;
 * a file {@code slow} holding seconds makes each power action take that long, a new order starting it over (as many
 * BMCs do). Every power order is counted in {@code orders}.
 * Always closed by its test, which kills ipmi_sim and any script it is running.
 */
public final class IpmiSimPeer implements AutoCloseable {
    public static final String USER = "admin";

    /**
     * The default stand-in host: power in the file {@code power}, orders counted in {@code orders}, ignored while
     * {@code stuck} exists, and carried out after the seconds in {@code slow} (a new order restarting the wait).
     */
    public static final String FILE_HOST = """
            #!/bin/sh
            # ipmi_sim calls: SCRIPT MC get NAME... | SCRIPT MC set NAME VALUE...
            D=$(dirname "$0")
            case "$2" in
              get) shift 2; out=""
                   for n in "$@"; do case $n in power) out="$out power:$(cat "$D/power")";; esac; done
                   echo $out;;
              set) shift 2
                   while [ $# -gt 1 ]; do
                     case $1 in power)
                       echo "$2" >> "$D/orders"
                       if [ -e "$D/stuck" ]; then :
                       elif [ -e "$D/slow" ]; then
                         # A slow BMC: the action lands later, and a new order starts it over.
                         [ -e "$D/action.pid" ] && kill "$(cat "$D/action.pid")" 2>/dev/null
                         nohup sh -c "sleep $(cat "$D/slow"); echo $2 > '$D/power'; rm -f '$D/action.pid'" >/dev/null 2>&1 &
                         echo $! > "$D/action.pid"
                       else echo "$2" > "$D/power"
                       fi;;
                     esac
                     shift 2
                   done;;
            esac
            """;

    private final Path dir;
    private final int port;
    private final String password;
    private final Process process;

    private IpmiSimPeer(Path dir, int port, String password, Process process) {
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.process = process;
    }

    public static IpmiSimPeer start(Path dir) throws IOException {
        return start(dir, FILE_HOST);
    }

    /** Starts ipmi_sim in {@code dir} with {@code chassisScript} as the host's power control. */
    public static IpmiSimPeer start(Path dir, String chassisScript) throws IOException {
        return start(dir, chassisScript, List.of());
    }

    /**
     * Starts ipmi_sim behind a command prefix, e.g. {@code ip netns exec NS}: it then serves on the loopback of that
     * network namespace, where only processes in the namespace reach it.
     */
    public static IpmiSimPeer start(Path dir, String chassisScript, List<String> prefix) throws IOException {
        Peers.require("ipmi_sim", "ipmitool");
        byte[] raw = new byte[6];   // ipmi_sim keeps at most 16 bytes of a password
        new SecureRandom().nextBytes(raw);
        String password = "pw" + HexFormat.of().formatHex(raw);
        int port = freeUdpPort();
        Path script = dir.resolve("chassis.sh");
        Executables.write(script, chassisScript, "700");
        Files.writeString(dir.resolve("power"), "1\n");
        Files.writeString(dir.resolve("password"), password + "\n");
        Files.setPosixFilePermissions(dir.resolve("password"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("lan.conf"), """
                name "understudy"
                set_working_mc 0x20
                  startlan 1
                    addr 127.0.0.1 %d
                    priv_limit admin
                    allowed_auths_callback none md5 straight
                    allowed_auths_user none md5 straight
                    allowed_auths_operator none md5 straight
                    allowed_auths_admin none md5 straight
                    guid a123456789abcdefa123456789abcdef
                  endlan
                  chassis_control "%s 0x20"
                  user 2 true "%s" "%s" admin 10 none md5 straight
                """.formatted(port, script, USER, password));
        Files.writeString(dir.resolve("bmc.emu"), """
                mc_setbmc 0x20
                mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
                mc_enable 0x20
                """);
        Files.createDirectories(dir.resolve("state"));
        String sim = Tools.find("ipmi_sim").orElseThrow().toString();
        List<String> cmd = new java.util.ArrayList<>(prefix);
        cmd.addAll(List.of(sim, "-c", "lan.conf", "-f", "bmc.emu", "-s", "state", "-n"));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("ipmi_sim.log").toFile()).start();
        IpmiSimPeer peer = new IpmiSimPeer(dir, port, password, p);
        try {
            peer.awaitListening();
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "127.0.0.1:" + port;
    }

    public String password() {
        return password;
    }

    public Path passwordFile() {
        return dir.resolve("password");
    }

    public Path dir() {
        return dir;
    }

    /** The driver settings for this BMC over IPMI (cipher suite 3, one retry by default). */
    public Bmc ipmiBmc(Path passwordFile, Integer retries) {
        return new Bmc("ipmi", endpoint(), USER, null, passwordFile.toString(), null, null, 3, null, null, null, retries);
    }

    /** The driver settings for this BMC through fence_ipmilan, with extra agent options. */
    public Bmc fenceBmc(Path passwordFile, Map<String, String> options) {
        Map<String, String> all = new java.util.TreeMap<>(Map.of("lanplus", "1", "cipher", "3"));
        all.putAll(options);
        return new Bmc("fence-agent", endpoint(), USER, null, passwordFile.toString(), null, null, null, "fence_ipmilan", all, null, 0);
    }

    /** From now on the stand-in host ignores power orders (a BMC that accepts and does nothing). */
    public void stuck() throws IOException {
        Files.writeString(dir.resolve("stuck"), "");
    }

    /** From now on each power action takes {@code seconds}, and a new order starts it over. */
    public void slow(double seconds) throws IOException {
        Files.writeString(dir.resolve("slow"), String.format(Locale.ROOT, "%.1f", seconds));
    }

    /** Power orders that reached the stand-in host. */
    public int orders() throws IOException {
        Path f = dir.resolve("orders");
        return Files.exists(f) ? (int) Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    public boolean powered() throws IOException {
        return Files.readString(dir.resolve("power")).trim().equals("1");
    }

    /** A UDP port on 127.0.0.1 where nothing listens (for unreachable BMCs). */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits (at most 5 s, in 50 ms steps) until ipmi_sim's UDP socket is bound, failing early if it exited. */
    private void awaitListening() throws IOException {
        String local = "0100007F:" + String.format(Locale.ROOT, "%04X", port);
        for (int i = 0; i < 100; i++) {
            if (!alive()) throw new IOException("ipmi_sim exited: " + Files.readString(dir.resolve("ipmi_sim.log")).strip());
            // The process's own view: ipmi_sim may run in another network namespace (ip netns exec execs it, same pid).
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/net/udp"))) {
                if (line.trim().split("\\s+")[1].equals(local)) return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        throw new IOException("ipmi_sim did not listen on 127.0.0.1:" + port + " within 5 s");
    }

    /** Alive by /proc state, not kill -0: a killed child can linger as a zombie here. */
    private boolean alive() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            // A slow action still waiting would write into the directory while the test removes it.
            Path pid = dir.resolve("action.pid");
            if (Files.exists(pid)) ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | NumberFormatException ignored) {
            // nothing waiting
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

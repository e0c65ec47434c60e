package io.understudy.sim;

import io.understudy.model.config.Bmc;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.Enclosure;
import io.understudy.model.config.EventHandling;
import io.understudy.model.config.FallbackMode;
import io.understudy.model.config.FcPort;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.Requirements;
import io.understudy.model.config.ServerSpec;
import io.understudy.model.config.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The data center {@code understudy demo} runs: two enclosures of eight bays, a {@code cold} group of BL460c blades
 * (VCEM style, boot from SAN) and a {@code hot} group of DL360s (IBM style, spares booted), each with two spares —
 * one in each enclosure, so a whole enclosure can fail.
 */
public final class DemoDataCenter {
    private DemoDataCenter() {}

    public static DataCenterConfig build() {
        return build(6);
    }

    /** @param regularsPerGroup regular servers per group (each enclosure has room for them plus two spares) */
    public static DataCenterConfig build(int regularsPerGroup) {
        int bays = regularsPerGroup + 2;
        List<Enclosure> enclosures = List.of(new Enclosure("enc1", bays), new Enclosure("enc2", bays));
        List<ServerSpec> servers = new ArrayList<>();
        List<ProfileSpec> profiles = new ArrayList<>();
        List<String> coldRegular = new ArrayList<>();
        List<String> hotRegular = new ArrayList<>();
        for (int b = 1; b <= regularsPerGroup; b++) {
            String c = "bl-" + b;
            servers.add(new ServerSpec(c, "enc1/bay" + b, "bl" + b + ".mgmt", address(regularsPerGroup, 0, 10, b), "BL460c",
                    b % 2 == 0 ? "G10" : "G9", 16, 128, new Bmc("sim", "sim://enc1/bay" + b)));
            coldRegular.add(c);
            String h = "dl-" + b;
            servers.add(new ServerSpec(h, "enc2/bay" + b, "dl" + b + ".mgmt", address(regularsPerGroup, 1, 40, b), "DL360",
                    "Gen10", 24, 192, new Bmc("sim", "sim://enc2/bay" + b)));
            hotRegular.add(h);
            profiles.add(new ProfileSpec("db-" + b, "cold", c,
                    new Identity("db" + b, List.of(alias(regularsPerGroup, 1, b)), List.of(mac(1, b)),
                            List.of(new FcPort("fc0", wwn(1, b), wwn(2, b), true))),
                    new Workload("postgres", null, null, null), new Requirements("BL460c", 16, 96),
                    b, FallbackMode.MANUAL, null));
            profiles.add(new ProfileSpec("web-" + b, "hot", h,
                    new Identity("web" + b, List.of(alias(regularsPerGroup, 2, b)), List.of(mac(2, b)), List.of()),
                    new Workload("nginx", null, null, null), new Requirements("DL360", 16, 64),
                    10 + b, FallbackMode.AUTOMATIC, null));
        }
        int spareBay = regularsPerGroup + 1;
        servers.add(spare("bl-s1", "enc1/bay" + spareBay, "BL460c", "G10", 16, 128));
        servers.add(spare("bl-s2", "enc2/bay" + spareBay, "BL460c", "G9", 32, 256));
        servers.add(spare("dl-s1", "enc2/bay" + (spareBay + 1), "DL360", "Gen10", 24, 192));
        servers.add(spare("dl-s2", "enc1/bay" + (spareBay + 1), "DL360", "Gen10", 24, 192));
        GroupPolicy cold = new GroupPolicy(ProtectionLevel.COLD, EventHandling.AUTO_FAILOVER, Duration.ofSeconds(1),
                Duration.ofSeconds(5), 2, false, false, null, null, Duration.ofSeconds(60), null, null, null, null);
        GroupPolicy hot = new GroupPolicy(ProtectionLevel.HOT, EventHandling.AUTO_FAILOVER, Duration.ofMillis(200),
                Duration.ofSeconds(1), 2, true, false, null, null, Duration.ofSeconds(10), null,
                Duration.ofMinutes(2), 3, Duration.ofHours(1));
        List<GroupSpec> groups = List.of(
                new GroupSpec("cold", coldRegular, List.of("bl-s1", "bl-s2"), cold),
                new GroupSpec("hot", hotRegular, List.of("dl-s1", "dl-s2"), hot));
        return new DataCenterConfig("demo", enclosures, servers, groups, profiles);
    }

    /**
     * {@code config} with a lockstep pair beside it (seed 000): enclosure enc3 of two bays, led-a the primary's home
     * and led-b its twin, and the profile {@code ledger} — the example key-value service on real pair members, which
     * the server runs for a simulated pair (its sequence number moves: a small client feeds it).
     */
    public static DataCenterConfig withLedgerPair(DataCenterConfig config) {
        List<Enclosure> enclosures = new ArrayList<>(config.enclosures());
        enclosures.add(new Enclosure("enc3", 2));
        List<ServerSpec> servers = new ArrayList<>(config.servers());
        servers.add(new ServerSpec("led-a", "enc3/bay1", "leda.mgmt", "198.18.3.1", "DL360", "Gen10", 16, 64, new Bmc("sim", "sim://enc3/bay1")));
        servers.add(spare("led-b", "enc3/bay2", "DL360", "Gen10", 16, 64));
        GroupPolicy lockstep = new GroupPolicy(ProtectionLevel.LOCKSTEP, EventHandling.AUTO_FAILOVER, Duration.ofMillis(500),
                Duration.ofSeconds(3), 1, false, false, null, null, Duration.ofSeconds(30), null, null, null, null);
        List<GroupSpec> groups = new ArrayList<>(config.groups());
        groups.add(new GroupSpec("ledger-pair", List.of("led-a"), List.of("led-b"), lockstep));
        List<ProfileSpec> profiles = new ArrayList<>(config.profiles());
        profiles.add(new ProfileSpec("ledger", "ledger-pair", "led-a", new Identity("ledger", List.of("198.18.3.10/24"), List.of(), List.of()),
                new Workload("ledger", null, null, null), null, 20, FallbackMode.MANUAL, null, null, List.of(), 7811));
        return new DataCenterConfig(config.name(), enclosures, servers, groups, profiles);
    }

    private static ServerSpec spare(String id, String loc, String model, String gen, int cores, int mem) {
        String n = id.replace("-", "");
        return new ServerSpec(id, loc, n + ".mgmt", null, model, gen, cores, mem, new Bmc("sim", "sim://" + loc));
    }

    /** Up to 30 regulars per group the classic addresses (198.18.0.11, ...); beyond, each block gets its own /24s. */
    private static String address(int regulars, int block, int base, int b) {
        return regulars <= 30 ? "198.18.0." + (base + b) : wide(block, b);
    }

    private static String alias(int regulars, int group, int b) {
        return (regulars <= 30 ? "198.18." + group + "." + (10 + b) : wide(group + 1, b)) + "/24";
    }

    /** 198.18.0.0/15 in blocks of eight /24s, so a fleet of thousands gets distinct, valid addresses. */
    private static String wide(int block, int b) {
        int n = b - 1;
        return "198.18." + (16 + block * 8 + n / 250) + "." + (n % 250 + 1);
    }

    private static String mac(int group, int b) {
        return String.format("02:00:00:%02x:%02x:%02x", b >> 8, group, b & 0xff);
    }

    private static String wwn(int kind, int b) {
        return String.format("50:01:43:80:%02x:00:%02x:%02x", kind, b >> 8, b & 0xff);
    }
}

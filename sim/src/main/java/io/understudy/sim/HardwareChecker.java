package io.understudy.sim;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the simulated hardware's own history ({@link HardwareLog}) against the invariants that the hardware alone can
 * judge, whatever the control plane believed:
 * <ul>
 * <li><b>1</b>, no split brain: every {@code holders} event names at most one server.</li>
 * <li><b>2</b>, no takeover before the fence: an {@code identity-on} of profile P on server B is a violation while
 * another server A still holds P <em>unsafely</em>. A holds P unsafely from its own {@code identity-on} of P until A
 * leaves it by a safe route: a {@code power-off} of A (confirmed off), a {@code self-fence} of A, or an
 * {@code identity-off} of P on A whose detail is {@code released} (an order the agent carried out), {@code power-off},
 * {@code self-fence} or {@code adopted} (the data center set up as the replicated state said). A crash or a hang is no
 * safe route: the simulator keeps a crashed or hung server powered with its identity live ({@link
 * SimDataCenter#holders} counts it), so it answers on the network again the moment it recovers. An {@code
 * identity-off} with any other detail keeps A an unsafe holder, so a new way of losing an identity is judged unsafe
 * until it is named here.</li>
 * </ul>
 * The history must start at the data center's start ({@link HardwareLog.Page#dropped} 0): a holder whose
 * {@code identity-on} was dropped is not known.
 */
public final class HardwareChecker {
    private static final Set<String> SAFE_RELEASES = Set.of("released", "power-off", "self-fence", "adopted");

    private HardwareChecker() {}

    /** Which group each server of the configuration is in (regulars and spares), for {@link #check}. */
    public static Map<String, String> groupsOf(DataCenterConfig config) {
        Map<String, String> groups = new HashMap<>();
        for (GroupSpec g : config.groups()) {
            g.servers().forEach(s -> groups.put(s, g.id()));
            g.spares().forEach(s -> groups.put(s, g.id()));
        }
        return groups;
    }

    /**
     * @param events  the hardware's history, oldest first, from the data center's start
     * @param groupOf each server's group, named in the messages (a server in none is shown as such)
     * @return every violation, in the order of the history
     */
    public static List<HardwareViolation> check(List<HardwareEvent> events, Map<String, String> groupOf) {
        List<HardwareViolation> found = new ArrayList<>();
        // profile -> servers that hold it unsafely, with the identity-on that made them holders
        Map<String, Map<String, HardwareEvent>> unsafe = new HashMap<>();
        for (HardwareEvent e : events) {
            switch (e.kind()) {
                case HardwareEvent.HOLDERS -> {
                    if (e.holders().size() > 1) {
                        found.add(new HardwareViolation("1", e.at(), e.seq(), "identity of " + e.profile() + " live on "
                                + e.holders().size() + " servers at once: " + named(e.holders(), groupOf) + " at " + e.at()
                                + " (after " + e.detail() + ")"));
                    }
                }
                case HardwareEvent.POWER_OFF, HardwareEvent.SELF_FENCE -> unsafe.values().forEach(m -> m.remove(e.server()));
                case HardwareEvent.IDENTITY_OFF -> {
                    Map<String, HardwareEvent> holders = unsafe.get(e.profile());
                    if (holders != null && SAFE_RELEASES.contains(e.detail())) holders.remove(e.server());
                }
                case HardwareEvent.IDENTITY_ON -> {
                    Map<String, HardwareEvent> holders = unsafe.computeIfAbsent(e.profile(), p -> new TreeMap<>());
                    Map<String, HardwareEvent> others = new LinkedHashMap<>(holders);
                    others.remove(e.server());
                    if (!others.isEmpty()) found.add(takeover(e, others, groupOf));
                    holders.put(e.server(), e);
                }
                default -> { }
            }
        }
        return found;
    }

    private static HardwareViolation takeover(HardwareEvent on, Map<String, HardwareEvent> others, Map<String, String> groupOf) {
        StringBuilder why = new StringBuilder();
        others.forEach((server, since) -> why.append(why.isEmpty() ? "" : "; ").append(named(List.of(server), groupOf))
                .append(" had held it since ").append(since.at()).append(" (event ").append(since.seq()).append(")"));
        return new HardwareViolation("2", on.at(), on.seq(), "identity of " + on.profile() + " applied on "
                + named(List.of(on.server()), groupOf) + " at " + on.at() + " (" + on.detail() + ") while " + why
                + ", neither powered off, self-fenced nor released by order");
    }

    private static String named(List<String> servers, Map<String, String> groupOf) {
        List<String> out = new ArrayList<>();
        for (String s : servers) out.add(s + " (group " + groupOf.getOrDefault(s, "none") + ")");
        return String.join(", ", out);
    }
}

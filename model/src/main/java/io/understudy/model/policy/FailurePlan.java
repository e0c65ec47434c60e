package io.understudy.model.policy;

import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What-if: where would each profile of the failing servers land? It replays the engine's own rules in the
 * engine's order — better priority first, the smallest qualified spare, preemption where the group allows it.
 */
public final class FailurePlan {
    private FailurePlan() {}

    /**
     * One affected profile: where it runs now, where it would go (null: stays down), and why.
     *
     * @param wave when its workload would start among those coming back (1 first; ordered boot, a profile's
     *             {@code after}), or null when it stays down or would wait for one that stays down
     * @param waitsFor the affected profiles it starts after
     */
    public record Entry(String profile, String from, String to, String reason, Integer wave, List<String> waitsFor) {
        public Entry {
            waitsFor = waitsFor == null ? List.of() : List.copyOf(waitsFor);
        }

        Entry(String profile, String from, String to, String reason) {
            this(profile, from, to, reason, null, List.of());
        }
    }

    public static final Comparator<ProfileSpec> PRIORITY_ORDER =
            Comparator.comparingInt(ProfileSpec::priority).thenComparing(ProfileSpec::id);

    /**
     * @param servers every server of the data center as it stands
     * @param profiles every profile by id
     * @param failing ids of the servers that would fail
     * @param levelOf the protection level of a profile
     * @param preemptOf whether a profile's group allows preemption
     */
    public static List<Entry> plan(List<ServerView> servers, Map<String, ProfileSpec> profiles, Set<String> failing,
                                   Function<ProfileSpec, ProtectionLevel> levelOf,
                                   Function<ProfileSpec, Boolean> preemptOf) {
        Map<String, ServerView> now = new HashMap<>();
        servers.forEach(s -> now.put(s.id(), s));
        List<ProfileSpec> affected = servers.stream()
                .filter(s -> failing.contains(s.id()) && s.profile() != null)
                .map(s -> profiles.get(s.profile()))
                .sorted(PRIORITY_ORDER).toList();
        // Failed servers are no candidates, spares included.
        failing.forEach(id -> {
            ServerView s = now.get(id);
            if (s != null) now.put(id, s.with(io.understudy.model.ServerState.FAILED, s.profile(), s.reservedBy()));
        });
        List<Entry> out = new ArrayList<>();
        for (ProfileSpec p : affected) {
            String from = servers.stream().filter(s -> p.id().equals(s.profile())).findFirst().map(ServerView::id).orElse(null);
            List<ServerView> group = now.values().stream().filter(s -> s.spare() && p.group().equals(s.group())).toList();
            SpareSelection.Choice choice = SpareSelection.choose(group, p, levelOf.apply(p));
            if (choice.spare().isPresent()) {
                ServerView to = choice.spare().get();
                now.put(to.id(), to.with(to.state(), p.id(), -1L));
                out.add(new Entry(p.id(), from, to.id(), choice.explain()));
                continue;
            }
            if (preemptOf.apply(p)) {
                var victim = Preemption.choose(group, profiles, p);
                if (victim.isPresent()) {
                    ServerView v = victim.get().server();
                    now.put(v.id(), v.with(v.state(), p.id(), -1L));
                    out.add(new Entry(p.id(), from, v.id(), "preempts " + victim.get().profile().id()
                            + " (priority " + victim.get().profile().priority() + " > " + p.priority() + ")"));
                    out.add(new Entry(victim.get().profile().id(), v.id(), null, "preempted by " + p.id()));
                    continue;
                }
            }
            out.add(new Entry(p.id(), from, null, choice.explain()));
        }
        return ordered(out, profiles);
    }

    /** The entries with the wave each would start in (ordered boot), those landing first by wave, then those that stay down. */
    static List<Entry> ordered(List<Entry> entries, Map<String, ProfileSpec> profiles) {
        Set<String> coming = new java.util.LinkedHashSet<>();
        Set<String> down = new java.util.HashSet<>();
        for (Entry e : entries) (e.to() != null ? coming : down).add(e.profile());
        coming.removeAll(down);   // a preemptor's victim is listed twice: it stays down
        Map<String, Integer> waves = BootOrder.waves(coming, down, profiles);
        Set<String> affected = new java.util.HashSet<>(coming);
        affected.addAll(down);
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            ProfileSpec p = profiles.get(e.profile());
            List<String> follows = p == null ? List.of() : BootOrder.followed(p, affected);
            Integer wave = e.to() == null || down.contains(e.profile()) ? null : waves.get(e.profile());
            String reason = e.reason();
            if (e.to() != null && wave == null && !down.contains(e.profile())) {
                reason = (reason == null || reason.isBlank() ? "" : reason + "; ") + "would wait: it starts after "
                        + follows.stream().filter(f -> !waves.containsKey(f)).toList() + ", which would not come back";
            }
            out.add(new Entry(e.profile(), e.from(), e.to(), reason, wave, follows));
        }
        out.sort(Comparator.comparing((Entry e) -> e.wave() == null ? Integer.MAX_VALUE : e.wave()));
        return out;
    }
}

package io.understudy.model.policy;

import io.understudy.model.config.ProfileSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ordered boot (seed 000: a unit serves only once what it depends on has finished booting). A profile's {@code after}
 * names the profiles whose workloads must be verified running before its own starts. The order is a graph of
 * profiles; it must have no cycle, or the profiles on it would wait for each other for ever.
 */
public final class BootOrder {
    private BootOrder() {}

    /**
     * A cycle of the order, as the path that closes it ({@code a, b, c, a}: a follows b, which follows c, which
     * follows a), or empty when there is none. Names {@code after} lists that no profile carries are not followed.
     */
    public static List<String> cycle(Collection<ProfileSpec> profiles) {
        Map<String, List<String>> after = new LinkedHashMap<>();
        for (ProfileSpec p : profiles) if (p.id() != null) after.putIfAbsent(p.id(), p.after());
        Map<String, Integer> mark = new HashMap<>();   // absent: not seen; 1: on the current path; 2: done
        for (String start : after.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(start, after, mark, path);
            if (found != null) return found;
        }
        return List.of();
    }

    // Depth first; bounded by the number of profiles (each is entered once).
    private static List<String> visit(String id, Map<String, List<String>> after, Map<String, Integer> mark, List<String> path) {
        Integer m = mark.get(id);
        if (m != null && m == 2) return null;
        if (m != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            return List.copyOf(cycle);
        }
        mark.put(id, 1);
        path.add(id);
        for (String next : after.getOrDefault(id, List.of())) {
            if (!after.containsKey(next)) continue;
            List<String> found = visit(next, after, mark, path);
            if (found != null) return found;
        }
        path.remove(path.size() - 1);
        mark.put(id, 2);
        return null;
    }

    /**
     * The wave in which each of {@code coming} would start when they all come back at once: 1 for those that follow
     * none of the others, then one more than the latest wave of those each follows. Profiles it follows that are not
     * coming back are taken as running. A profile that follows one in {@code down} (which is not coming back), or one
     * that does, gets no wave: it would wait. The order must have no cycle ({@link #cycle}).
     */
    public static Map<String, Integer> waves(Set<String> coming, Set<String> down, Map<String, ProfileSpec> profiles) {
        Map<String, Integer> wave = new HashMap<>();
        Map<String, Boolean> blocked = new HashMap<>();
        for (String id : coming) waveOf(id, coming, down, profiles, wave, blocked, 0);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String id : coming) if (!blocked.getOrDefault(id, false)) out.put(id, wave.get(id));
        return out;
    }

    private static int waveOf(String id, Set<String> coming, Set<String> down, Map<String, ProfileSpec> profiles,
                              Map<String, Integer> wave, Map<String, Boolean> blocked, int depth) {
        Integer known = wave.get(id);
        if (known != null) return known;
        // A cycle the configuration let through cannot loop here: past as many steps as there are profiles, stop.
        if (depth > profiles.size()) {
            blocked.put(id, true);
            return 0;
        }
        ProfileSpec p = profiles.get(id);
        int w = 1;
        boolean waits = false;
        for (String d : p == null ? List.<String>of() : p.after()) {
            if (down.contains(d)) {
                waits = true;
            } else if (coming.contains(d)) {
                w = Math.max(w, waveOf(d, coming, down, profiles, wave, blocked, depth + 1) + 1);
                if (blocked.getOrDefault(d, false)) waits = true;
            }
        }
        wave.put(id, w);
        blocked.put(id, waits);
        return w;
    }

    /** The profiles {@code p} follows that are among {@code these}. */
    public static List<String> followed(ProfileSpec p, Set<String> these) {
        return p.after().stream().filter(these::contains).toList();
    }
}

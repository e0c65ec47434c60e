package io.understudy.model.policy;

import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * IBM's "anticipated failover workload" check: can the free spares of a group absorb any {@code k} of its profiles
 * failing at once? Decided as a bipartite matching (model and resource fit), in the worst case over every
 * combination of k profiles. Profiles with identical requirements are interchangeable, so the search runs over
 * multisets of requirement classes, which stays small even for large groups.
 */
public final class CapacityPlanner {
    private CapacityPlanner() {}

    public record Verdict(boolean sufficient, String reason) {}

    /**
     * @param exposed profiles whose failure would need a spare (those running on regular servers)
     * @param freeSpares spares with no profile that are present (state not down), whatever their power state
     */
    public static Verdict assess(List<ProfileSpec> exposed, List<ServerView> freeSpares, int anticipated) {
        int k = Math.min(anticipated, exposed.size());
        if (k <= 0) return new Verdict(true, "no failure anticipated");
        // Group interchangeable profiles: same requirements.
        Map<Object, List<ProfileSpec>> classes = new LinkedHashMap<>();
        for (ProfileSpec p : exposed.stream().sorted(Comparator.comparing(ProfileSpec::id)).toList()) {
            classes.computeIfAbsent(Objects.requireNonNullElse((Object) p.requirements(), "none"), x -> new ArrayList<>()).add(p);
        }
        List<List<ProfileSpec>> byClass = new ArrayList<>(classes.values());
        List<ProfileSpec> worst = search(byClass, 0, k, new ArrayList<>(), freeSpares);
        if (worst == null) {
            return new Verdict(true, freeSpares.size() + " free spare(s) absorb any " + k + " simultaneous failure(s)");
        }
        int[] match = Matching.maximum(Matching.table(worst, freeSpares,
                (a, b) -> SpareQualification.fit((ServerView) b, (ProfileSpec) a).isEmpty()), freeSpares.size());
        List<String> stranded = new ArrayList<>();
        for (int i = 0; i < worst.size(); i++) if (match[i] < 0) stranded.add(worst.get(i).id());
        return new Verdict(false, "if " + String.join(", ", worst.stream().map(ProfileSpec::id).toList())
                + " fail together, " + String.join(", ", stranded) + " would find no fitting spare ("
                + freeSpares.size() + " free spare(s), " + k + " anticipated failure(s))");
    }

    /** Depth-first over multisets of classes; returns the first failing combination or null. */
    private static List<ProfileSpec> search(List<List<ProfileSpec>> classes, int from, int left,
                                            List<ProfileSpec> chosen, List<ServerView> spares) {
        if (left == 0) {
            int[] match = Matching.maximum(Matching.table(chosen, spares,
                    (a, b) -> SpareQualification.fit((ServerView) b, (ProfileSpec) a).isEmpty()), spares.size());
            return Matching.size(match) < chosen.size() ? List.copyOf(chosen) : null;
        }
        for (int c = from; c < classes.size(); c++) {
            List<ProfileSpec> members = classes.get(c);
            int used = (int) chosen.stream().filter(members::contains).count();
            if (used >= members.size()) continue;
            chosen.add(members.get(used));
            List<ProfileSpec> found = search(classes, c, left - 1, chosen, spares);
            chosen.remove(chosen.size() - 1);
            if (found != null) return found;
        }
        return null;
    }
}

package io.understudy.model.policy;

import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * IBM's "anticipated failover workload" check: can the spares of a group absorb any {@code k} of its profiles
 * failing at once? Decided as a bipartite matching, in the worst case over every combination of k profiles. A spare
 * may take a profile exactly when selection would choose it ({@link SpareQualification#disqualification}: free,
 * present, in the power state the level expects, model and resources, as reported): capacity and selection are one
 * rule, so "ok" here means a failover finds a spare. Profiles with identical requirements and level are
 * interchangeable, so the search runs over multisets of those classes, which stays small even for large groups.
 */
public final class CapacityPlanner {
    private CapacityPlanner() {}

    public record Verdict(boolean sufficient, String reason) {}

    /**
     * @param exposed profiles whose failure would need a spare (those running on regular servers)
     * @param spares the group's spares as they stand now, whatever their state: the rule decides which can serve
     * @param levelOf the protection level each profile is failed over at
     */
    public static Verdict assess(List<ProfileSpec> exposed, List<ServerView> spares, int anticipated,
                                 Function<ProfileSpec, ProtectionLevel> levelOf) {
        int k = Math.min(anticipated, exposed.size());
        if (k <= 0) return new Verdict(true, "no failure anticipated");
        Map<Object, List<ProfileSpec>> classes = new LinkedHashMap<>();
        for (ProfileSpec p : exposed.stream().sorted(Comparator.comparing(ProfileSpec::id)).toList()) {
            Object key = List.of(Objects.requireNonNullElse((Object) p.requirements(), "none"), levelOf.apply(p));
            classes.computeIfAbsent(key, x -> new ArrayList<>()).add(p);
        }
        List<List<ProfileSpec>> byClass = new ArrayList<>(classes.values());
        List<ProfileSpec> worst = search(byClass, 0, k, new ArrayList<>(), spares, levelOf);
        if (worst == null) {
            long serving = spares.stream().filter(s -> exposed.stream()
                    .anyMatch(p -> SpareQualification.disqualification(s, p, levelOf.apply(p)).isEmpty())).count();
            return new Verdict(true, serving + " qualified spare(s) absorb any " + k + " simultaneous failure(s)");
        }
        int[] match = Matching.maximum(table(worst, spares, levelOf), spares.size());
        List<ProfileSpec> stranded = new ArrayList<>();
        for (int i = 0; i < worst.size(); i++) if (match[i] < 0) stranded.add(worst.get(i));
        ProfileSpec first = stranded.get(0);
        return new Verdict(false, "if " + String.join(", ", worst.stream().map(ProfileSpec::id).toList())
                + " fail together, " + String.join(", ", stranded.stream().map(ProfileSpec::id).toList())
                + " would find no fitting spare (" + spares.size() + " spare(s), " + k + " anticipated failure(s); "
                + first.id() + ": " + SpareSelection.choose(spares, first, levelOf.apply(first)).explain() + ")");
    }

    private static boolean[][] table(List<ProfileSpec> profiles, List<ServerView> spares, Function<ProfileSpec, ProtectionLevel> levelOf) {
        boolean[][] t = new boolean[profiles.size()][spares.size()];
        for (int i = 0; i < profiles.size(); i++) {
            ProfileSpec p = profiles.get(i);
            for (int j = 0; j < spares.size(); j++) t[i][j] = SpareQualification.disqualification(spares.get(j), p, levelOf.apply(p)).isEmpty();
        }
        return t;
    }

    /** Depth-first over multisets of classes; returns the first failing combination or null. */
    private static List<ProfileSpec> search(List<List<ProfileSpec>> classes, int from, int left, List<ProfileSpec> chosen,
                                            List<ServerView> spares, Function<ProfileSpec, ProtectionLevel> levelOf) {
        if (left == 0) {
            int[] match = Matching.maximum(table(chosen, spares, levelOf), spares.size());
            return Matching.size(match) < chosen.size() ? List.copyOf(chosen) : null;
        }
        for (int c = from; c < classes.size(); c++) {
            List<ProfileSpec> members = classes.get(c);
            int used = (int) chosen.stream().filter(members::contains).count();
            if (used >= members.size()) continue;
            chosen.add(members.get(used));
            List<ProfileSpec> found = search(classes, c, left - 1, chosen, spares, levelOf);
            chosen.remove(chosen.size() - 1);
            if (found != null) return found;
        }
        return null;
    }
}

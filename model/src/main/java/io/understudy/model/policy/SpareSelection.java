package io.understudy.model.policy;

import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Picks the best-fitting qualified spare: the smallest that is enough, so big spares stay for big profiles. */
public final class SpareSelection {
    private SpareSelection() {}

    /** Smallest first: cores, then memory, then id so the choice is deterministic. */
    public static final Comparator<ServerView> SMALLEST_FIRST = Comparator
            .comparingInt((ServerView s) -> s.spec().cores())
            .thenComparingInt(s -> s.spec().memoryGib())
            .thenComparing(ServerView::id);

    /** The chosen spare (if any) and, for every spare passed over, why. */
    public record Choice(Optional<ServerView> spare, Map<String, String> rejected) {
        public String explain() {
            if (spare.isPresent()) return "chose " + spare.get().id() + " (smallest qualified spare)";
            if (rejected.isEmpty()) return "no spare in the group";
            StringBuilder b = new StringBuilder("no qualified spare:");
            rejected.forEach((id, why) -> b.append(' ').append(id).append(": ").append(why).append(';'));
            return b.substring(0, b.length() - 1);
        }
    }

    public static Choice choose(Collection<ServerView> candidates, ProfileSpec profile, ProtectionLevel level) {
        Map<String, String> rejected = new LinkedHashMap<>();
        ServerView best = null;
        for (ServerView s : candidates.stream().sorted(Comparator.comparing(ServerView::id)).toList()) {
            Optional<String> why = SpareQualification.disqualification(s, profile, level);
            if (why.isPresent()) {
                rejected.put(s.id(), why.get());
            } else if (best == null || SMALLEST_FIRST.compare(s, best) < 0) {
                best = s;
            }
        }
        return new Choice(Optional.ofNullable(best), rejected);
    }
}

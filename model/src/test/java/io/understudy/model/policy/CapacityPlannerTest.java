package io.understudy.model.policy;

import static io.understudy.model.policy.Fixtures.profile;
import static io.understudy.model.policy.Fixtures.spare;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CapacityPlannerTest {

    @Test
    void assess_countIsEnoughButMatchingIsNot_reportsInsufficient() {
        // Two spares for two anticipated failures, but only one spare is big enough for the big profiles.
        List<ProfileSpec> exposed = List.of(profile("big-1", "M", 32, 8, 1), profile("big-2", "M", 32, 8, 2), profile("small", "M", 4, 8, 3));
        List<ServerView> spares = List.of(spare("s-big", "M", 32, 64, ServerState.OFF), spare("s-small", "M", 8, 64, ServerState.OFF));
        var v = CapacityPlanner.assess(exposed, spares, 2);
        assertThat(v.sufficient()).isFalse();
        assertThat(v.reason()).contains("big-1, big-2 fail together").contains("would find no fitting spare");
    }

    @Test
    void assess_matchingExists_isSufficient() {
        List<ProfileSpec> exposed = List.of(profile("a", "M", 4, 8, 1), profile("b", "N", 4, 8, 2));
        List<ServerView> spares = List.of(spare("sm", "M", 8, 64, ServerState.OFF), spare("sn", "N", 8, 64, ServerState.RUNNING));
        assertThat(CapacityPlanner.assess(exposed, spares, 2).sufficient()).isTrue();
    }

    @Provide
    Arbitrary<List<ProfileSpec>> profiles() {
        return Combinators.combine(Arbitraries.of("M", "N"), Arbitraries.of(4, 8, 16, 32)).as((m, c) -> profile("p", m, c, 8, 1))
                .list().ofMinSize(1).ofMaxSize(6)
                .map(l -> { List<ProfileSpec> out = new ArrayList<>(); for (int i = 0; i < l.size(); i++) out.add(profile("p" + i, l.get(i).requirements().model(), l.get(i).requirements().minCores(), 8, i)); return out; });
    }

    @Provide
    Arbitrary<List<ServerView>> spares() {
        return Combinators.combine(Arbitraries.of("M", "N"), Arbitraries.of(4, 8, 16, 32)).as((m, c) -> spare("s", m, c, 64, ServerState.OFF))
                .list().ofMaxSize(5)
                .map(l -> { List<ServerView> out = new ArrayList<>(); for (int i = 0; i < l.size(); i++) out.add(spare("s" + i, l.get(i).spec().model(), l.get(i).spec().cores(), 64, ServerState.OFF)); return out; });
    }

    /** The verdict agrees with brute force: every k-subset of profiles has an assignment to distinct fitting spares. */
    @Property
    void assess_agreesWithBruteForce(@ForAll("profiles") List<ProfileSpec> exposed, @ForAll("spares") List<ServerView> spares,
                                     @ForAll @IntRange(min = 1, max = 3) int k) {
        boolean expected = allSubsetsAssignable(exposed, spares, Math.min(k, exposed.size()), 0, new ArrayList<>());
        assertThat(CapacityPlanner.assess(exposed, spares, k).sufficient()).isEqualTo(expected);
    }

    private static boolean allSubsetsAssignable(List<ProfileSpec> ps, List<ServerView> ss, int k, int from, List<ProfileSpec> chosen) {
        if (chosen.size() == k) return assignable(chosen, 0, ss, new boolean[ss.size()]);
        for (int i = from; i < ps.size(); i++) {
            chosen.add(ps.get(i));
            boolean ok = allSubsetsAssignable(ps, ss, k, i + 1, chosen);
            chosen.remove(chosen.size() - 1);
            if (!ok) return false;
        }
        return true;
    }

    private static boolean assignable(List<ProfileSpec> ps, int i, List<ServerView> ss, boolean[] used) {
        if (i == ps.size()) return true;
        for (int j = 0; j < ss.size(); j++) {
            if (used[j] || SpareQualification.fit(ss.get(j), ps.get(i)).isPresent()) continue;
            used[j] = true;
            if (assignable(ps, i + 1, ss, used)) return true;
            used[j] = false;
        }
        return false;
    }
}

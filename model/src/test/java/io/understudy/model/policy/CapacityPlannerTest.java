package io.understudy.model.policy;

import static io.understudy.model.policy.Fixtures.profile;
import static io.understudy.model.policy.Fixtures.spare;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.Resources;
import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.ServerSpec;
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
        var v = CapacityPlanner.assess(exposed, spares, 2, p -> ProtectionLevel.COLD);
        assertThat(v.sufficient()).isFalse();
        assertThat(v.reason()).contains("big-1, big-2 fail together").contains("would find no fitting spare");
    }

    @Test
    void assess_matchingExists_isSufficient() {
        List<ProfileSpec> exposed = List.of(profile("a", "M", 4, 8, 1), profile("b", "N", 4, 8, 2));
        List<ServerView> spares = List.of(spare("sm", "M", 8, 64, ServerState.OFF), spare("sn", "N", 8, 64, ServerState.RUNNING));
        // a is cold (sm is off), b is hot (sn is booted).
        assertThat(CapacityPlanner.assess(exposed, spares, 2, p -> p.id().equals("a") ? ProtectionLevel.COLD : ProtectionLevel.HOT).sufficient()).isTrue();
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
        assertThat(CapacityPlanner.assess(exposed, spares, k, p -> ProtectionLevel.COLD).sufficient()).isEqualTo(expected);
    }

    /** Regression (issue 11.3): a cold group whose only spare is powered on was "ok", and its failover found no spare. */
    @Test
    void capacitySaidOkForAColdSpareThatIsPoweredOn() {
        List<ProfileSpec> exposed = List.of(profile("a", "M", 4, 8, 1));
        List<ServerView> spares = List.of(spare("s", "M", 8, 64, ServerState.RUNNING));
        var v = CapacityPlanner.assess(exposed, spares, 1, p -> ProtectionLevel.COLD);
        assertThat(v.sufficient()).isFalse();
        assertThat(v.reason()).contains("s: not powered off (running)");
    }

    @Provide
    Arbitrary<List<ServerView>> anySpares() {
        Arbitrary<Long> reserved = Arbitraries.of(0L, 0L, 0L, 7L);
        Arbitrary<String> runs = Arbitraries.of("", "", "", "other");
        // What the spare's agent reports, if anything: less, more or the same; another model, or the same by its product name.
        Arbitrary<Resources> reported = Combinators.combine(Arbitraries.of("M", "N", "ProLiant M Gen9", "unknown-board"),
                Arbitraries.of(0, 4, 8, 16, 32), Arbitraries.of(0, 32, 64, 128)).as(Resources::new).injectNull(0.4);
        return Combinators.combine(Arbitraries.of("M", "N"), Arbitraries.of(4, 8, 16, 32), Arbitraries.of(32, 64, 128),
                Arbitraries.of(ServerState.values()), runs, reserved, Arbitraries.of(true, true, true, false), reported)
                .as((m, c, mem, st, on, res, isSpare, rep) -> new ServerView(new ServerSpec("s", "enc1/bay1", "s", null, m, "G1", c, mem,
                        new io.understudy.model.config.Bmc("sim", null)), "g", st, on.isEmpty() ? null : on, isSpare, res == 0L ? null : res, rep))
                .list().ofMaxSize(5);
    }

    /**
     * Capacity and selection are one rule: for any one profile and any spares (any state, power, reservation, model,
     * size, and what its agent reports), capacity says "absorbs one failure" exactly when selection would choose a spare.
     */
    @Property
    void capacity_neverDisagreesWithSelection(@ForAll("anySpares") List<ServerView> drawn, @ForAll ProtectionLevel level,
                                              @ForAll("profiles") List<ProfileSpec> candidates) {
        List<ServerView> spares = new ArrayList<>();
        for (int i = 0; i < drawn.size() && i < 5; i++) {
            ServerView v = drawn.get(i);
            ServerSpec sp = v.spec();
            spares.add(new ServerView(new ServerSpec("s" + i, sp.location(), sp.hostname(), null, sp.model(), sp.generation(), sp.cores(),
                    sp.memoryGib(), sp.bmc()), v.group(), v.state(), v.profile(), v.spare(), v.reservedBy(), v.reported()));
        }
        ProfileSpec p = candidates.get(0);
        boolean capacity = CapacityPlanner.assess(List.of(p), spares, 1, x -> level).sufficient();
        boolean selection = SpareSelection.choose(spares, p, level).spare().isPresent();
        assertThat(capacity).as("capacity %s, selection %s", capacity, selection).isEqualTo(selection);
    }

    /** Regression (issue 11): a spare whose agent reports fewer cores than it is configured with counted as full size. */
    @Test
    void capacitySaidOkForASpareReportingFewerCoresThanConfigured() {
        List<ProfileSpec> exposed = List.of(profile("a", "M", 16, 8, 1));
        ServerView configured = spare("s", "M", 32, 64, ServerState.OFF);
        ServerView reportsLess = new ServerView(configured.spec(), "g", ServerState.OFF, null, true, null, new Resources("M", 8, 64));
        assertThat(CapacityPlanner.assess(exposed, List.of(configured), 1, p -> ProtectionLevel.COLD).sufficient()).isTrue();
        var v = CapacityPlanner.assess(exposed, List.of(reportsLess), 1, p -> ProtectionLevel.COLD);
        assertThat(v.sufficient()).isFalse();
        assertThat(v.reason()).contains("8 cores < 16 required (as its agent reports)");
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

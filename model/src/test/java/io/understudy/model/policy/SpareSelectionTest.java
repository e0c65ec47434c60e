package io.understudy.model.policy;

import static io.understudy.model.policy.Fixtures.profile;
import static io.understudy.model.policy.Fixtures.spare;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SpareSelectionTest {

    @Test
    void choose_cold_picksSmallestPoweredOffSameModel_ignoringGeneration() {
        List<ServerView> spares = List.of(
                spare("big", "BL460c", 32, 256, ServerState.OFF),
                spare("small", "BL460c", 16, 128, ServerState.OFF),
                spare("other-model", "DL360", 8, 64, ServerState.OFF),
                spare("running", "BL460c", 16, 96, ServerState.RUNNING),
                spare("failed", "BL460c", 16, 96, ServerState.FAILED));
        var c = SpareSelection.choose(spares, profile("p", "BL460c", 16, 96, 1), ProtectionLevel.COLD);
        assertThat(c.spare()).map(ServerView::id).hasValue("small");
        assertThat(c.rejected()).containsEntry("other-model", "model DL360 is not BL460c")
                .containsEntry("running", "not powered off (running)")
                .containsEntry("failed", "not present (failed)");
    }

    @Test
    void choose_hot_needsBootedAndHealthy() {
        var c = SpareSelection.choose(List.of(spare("off", "M", 8, 8, ServerState.OFF), spare("up", "M", 8, 8, ServerState.RUNNING)),
                profile("p", "M", 4, 4, 1), ProtectionLevel.HOT);
        assertThat(c.spare()).map(ServerView::id).hasValue("up");
        assertThat(c.rejected().get("off")).isEqualTo("not booted and healthy (off)");
    }

    @Test
    void choose_whenNoneQualifies_explainsEverySpare() {
        var c = SpareSelection.choose(List.of(spare("s1", "M", 2, 8, ServerState.OFF)), profile("p", "M", 4, 4, 1), ProtectionLevel.COLD);
        assertThat(c.spare()).isEmpty();
        assertThat(c.explain()).isEqualTo("no qualified spare: s1: 2 cores < 4 required");
    }

    @Test
    void disqualification_reservedOrOccupied_isNeverChosen() {
        ServerView reserved = new ServerView(spare("r", "M", 8, 8, ServerState.OFF).spec(), "g", ServerState.OFF, null, true, 7L);
        ServerView occupied = new ServerView(spare("o", "M", 8, 8, ServerState.OFF).spec(), "g", ServerState.OFF, "q", true, null);
        var c = SpareSelection.choose(List.of(reserved, occupied), profile("p", "M", 1, 1, 1), ProtectionLevel.COLD);
        assertThat(c.spare()).isEmpty();
        assertThat(c.rejected()).containsEntry("r", "reserved by job 7").containsEntry("o", "already runs profile q");
    }

    @Provide
    Arbitrary<List<ServerView>> pools() {
        Arbitrary<ServerView> s = Combinators.combine(Arbitraries.strings().withCharRange('a', 'e').ofLength(3),
                Arbitraries.of("M", "N"), Arbitraries.integers().between(1, 64), Arbitraries.integers().between(1, 512),
                Arbitraries.of(ServerState.values())).as((id, m, c, mem, st) -> spare(id, m, c, mem, st));
        return s.list().ofMaxSize(10).uniqueElements(ServerView::id);
    }

    /** Invariant 3's second half: the chosen spare always meets model and resources, and no smaller one qualified. */
    @Property
    void choose_neverPicksAnUnfitSpare_andPicksTheSmallestQualified(@ForAll("pools") List<ServerView> pool,
            @ForAll("levels") ProtectionLevel level) {
        ProfileSpec p = profile("p", "M", 8, 64, 1);
        var c = SpareSelection.choose(pool, p, level);
        List<ServerView> qualified = new ArrayList<>();
        for (ServerView s : pool) if (SpareQualification.disqualification(s, p, level).isEmpty()) qualified.add(s);
        if (qualified.isEmpty()) {
            assertThat(c.spare()).isEmpty();
            return;
        }
        ServerView chosen = c.spare().orElseThrow();
        assertThat(chosen.spec().model()).isEqualTo("M");
        assertThat(chosen.spec().cores()).isGreaterThanOrEqualTo(8);
        assertThat(chosen.spec().memoryGib()).isGreaterThanOrEqualTo(64);
        for (ServerView q : qualified) assertThat(SpareSelection.SMALLEST_FIRST.compare(chosen, q)).isLessThanOrEqualTo(0);
    }

    @Provide
    Arbitrary<ProtectionLevel> levels() {
        return Arbitraries.of(ProtectionLevel.COLD, ProtectionLevel.HOT);
    }
}

package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.model.ServerState;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Job;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: draining servers for maintenance moves their profiles off (planned moves, no fence) and keeps anything from
 * landing there; a drain that would strand a profile is refused up front unless forced; undraining moves the
 * automatically falling-back profiles home.
 */
class DrainTest {
    private static final String BY = "alice";

    private static SimFixture fixture() {
        return new SimFixture(DataCenters.demo(), SimTimings.FAST).settled();
    }

    private static boolean allEnded(SimFixture f) {
        return f.jobs().stream().noneMatch(Job::active);
    }

    private static boolean drained(SimFixture f, String server) {
        return f.read(s -> s.server(server).drained());
    }

    @Test
    void drainOfOneServer_movesItsProfileToASpare_andNothingLandsThereUntilUndrained() {
        SimFixture f = fixture();
        Operations.Drain d = f.engine.operations().drain(List.of("dl-2"), List.of(), false, BY);
        assertThat(d.ok()).as(d.message()).isTrue();
        assertThat(d.moves()).extracting(Operations.Move::profile).containsExactly("web-2");
        assertThat(f.runUntil(() -> allEnded(f), Duration.ofMinutes(2))).isTrue();
        assertThat(f.job(d.moves().get(0).job()).status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(f.serverOf("web-2")).isEqualTo("dl-s1");
        assertThat(drained(f, "dl-2")).isTrue();
        assertThat(f.stateOf("dl-2")).as("drained, not fenced").isEqualTo(ServerState.RUNNING);

        // web-2 falls back automatically, but not onto a drained home; and a failure elsewhere takes the other spare.
        f.run(Duration.ofMinutes(5));
        assertThat(f.serverOf("web-2")).isEqualTo("dl-s1");
        assertThat(f.engine.operations().move("web-3", "dl-2", BY).message()).isEqualTo("dl-2 cannot take web-3: drained for maintenance");

        Operations.Drain u = f.engine.operations().undrain(List.of("dl-2"), List.of(), BY);
        assertThat(u.moves()).extracting(Operations.Move::profile).containsExactly("web-2");
        assertThat(f.runUntil(() -> allEnded(f), Duration.ofMinutes(2))).isTrue();
        assertThat(f.serverOf("web-2")).isEqualTo("dl-2");
        assertThat(drained(f, "dl-2")).isFalse();
        assertThat(f.sim.holders("web-2")).containsExactly("dl-2");
    }

    @Test
    void drainThatWouldStrandAProfile_isRefusedNamingIt_andChangesNothing_unlessForced() {
        SimFixture f = fixture();
        // Three hot servers, two hot spares: the lowest-priority profile would have nowhere to go.
        Operations.Drain refused = f.engine.operations().drain(List.of("dl-1", "dl-2", "dl-3"), List.of(), false, BY);
        assertThat(refused.ok()).isFalse();
        assertThat(refused.message()).startsWith("drain refused, nothing changed: 1 profile(s) would have nowhere to go (web-3: ");
        assertThat(refused.left()).containsOnlyKeys("web-3");
        assertThat(f.jobs()).isEmpty();
        assertThat(drained(f, "dl-1")).isFalse();

        Operations.Drain forced = f.engine.operations().drain(List.of("dl-1", "dl-2", "dl-3"), List.of(), true, BY);
        assertThat(forced.ok()).isTrue();
        assertThat(forced.moves()).extracting(Operations.Move::profile).containsExactly("web-1", "web-2");
        assertThat(forced.left()).containsOnlyKeys("web-3");
        assertThat(f.runUntil(() -> allEnded(f), Duration.ofMinutes(2))).isTrue();
        assertThat(f.serverOf("web-3")).as("left where it was").isEqualTo("dl-3");
        assertThat(List.of(f.serverOf("web-1"), f.serverOf("web-2"))).containsExactlyInAnyOrder("dl-s1", "dl-s2");
    }

    @Test
    void aDrainedSpareIsNotChosenByAFailover() {
        SimFixture f = fixture();
        assertThat(f.engine.operations().drain(List.of("dl-s1"), List.of(), false, BY).ok()).isTrue();
        f.fail("dl-4", Fault.CRASH);
        assertThat(f.runUntil(() -> f.jobs().size() == 1 && allEnded(f), Duration.ofMinutes(2))).isTrue();
        assertThat(f.onlyJob().target()).isEqualTo("dl-s2");
    }

    @Test
    void drainOfAnEnclosure_byItsName_coversEveryServerInIt() {
        SimFixture f = fixture();
        Operations.Drain d = f.engine.operations().drain(List.of("enc2"), List.of(), true, BY);
        assertThat(d.servers()).contains("dl-1", "dl-4", "dl-s1", "bl-s2");
        // enc2 holds every hot regular and spare dl-s1: web-1..4 can go only to dl-s2 (enc1), the best priority first.
        assertThat(d.moves()).extracting(Operations.Move::profile).containsExactly("web-1");
        assertThat(d.left()).containsOnlyKeys("web-2", "web-3", "web-4");
    }

    @Test
    void drainOfAnUnknownServer_isAnErrorNamingIt() {
        SimFixture f = fixture();
        assertThatThrownBy(() -> f.engine.operations().drain(List.of("dl-9"), List.of(), false, BY))
                .hasMessage("no server matches 'dl-9' (by id, enclosure/bay, hostname or address), nor any enclosure");
        assertThatThrownBy(() -> f.engine.operations().drain(List.of(), List.of("enc9"), false, BY)).hasMessage("no enclosure 'enc9' with servers");
    }
}

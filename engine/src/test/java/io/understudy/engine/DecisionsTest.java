package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecisionsTest {

    /** Found at demo speed 60: 499 of 500 kept decisions were "detector was paused", the real ones were gone. */
    @Test
    void pausedFloodPushedRealDecisionsOut() {
        DrivenScheduler clock = new DrivenScheduler();
        Decisions d = new Decisions(clock, EngineListener.NONE);
        d.record("job 1", "fence: dl-1 power off confirmed by BMC read-back");
        for (int i = 0; i < 5_000; i++) {
            clock.advance(Duration.ofMillis(50));
            d.record("detector", "detector was paused for " + (600 + i % 2) + " ms; no conviction this round");
        }
        assertThat(d.about("job 1")).singleElement().satisfies(x -> assertThat(x.text()).contains("power off confirmed"));
        assertThat(d.recent()).anySatisfy(x -> assertThat(x.subject()).isEqualTo("job 1"));
        // The same sentence again is counted on one entry, not added.
        clock.advance(Duration.ofMillis(50));
        d.record("detector", "same");
        d.record("detector", "same");
        assertThat(d.about("detector")).last().satisfies(x -> assertThat(x.repeats()).isEqualTo(1));
    }
}

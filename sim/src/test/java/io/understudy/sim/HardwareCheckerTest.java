package io.understudy.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker's verdicts on hand-made histories: each rule broken once, and the safe routes that do not break it. */
class HardwareCheckerTest {
    private static final Map<String, String> GROUPS = Map.of("a", "hot", "b", "hot", "c", "hot");

    private final List<HardwareEvent> events = new ArrayList<>();

    private HistoryBuilder history() {
        return new HistoryBuilder();
    }

    private final class HistoryBuilder {
        HistoryBuilder on(String kind, String server, String profile, String detail) {
            events.add(new HardwareEvent(events.size() + 1, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(events.size()),
                    kind, server, profile, null, detail));
            return this;
        }

        HistoryBuilder holders(String profile, String... servers) {
            events.add(new HardwareEvent(events.size() + 1, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(events.size()),
                    HardwareEvent.HOLDERS, null, profile, List.of(servers), "test"));
            return this;
        }

        List<HardwareViolation> check() {
            return HardwareChecker.check(events, GROUPS);
        }
    }

    @Test
    void holders_twoServers_isASplitBrainNamingProfileServersAndTime() {
        List<HardwareViolation> v = history().holders("web-1", "a").holders("web-1", "a", "b").check();
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.invariant()).isEqualTo("1");
            assertThat(x.seq()).isEqualTo(2);
            assertThat(x.at()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
            assertThat(x.message()).contains("web-1", "a (group hot)", "b (group hot)", "2026-01-01T00:00:01Z");
        });
    }

    @Test
    void holders_oneAtATime_isNoViolation() {
        assertThat(history().holders("web-1", "a").holders("web-1").holders("web-1", "b").holders("web-2", "a").check()).isEmpty();
    }

    /** a holds web-1; then {@code kind} happens to a; then web-1's identity goes live on b. */
    private List<HardwareViolation> takeoverAfter(String kind, String profile, String detail) {
        return history()
                .on(HardwareEvent.IDENTITY_ON, "a", "web-1", "initial")
                .on(kind, "a", profile, detail)
                .on(HardwareEvent.IDENTITY_ON, "b", "web-1", "assigned")
                .check();
    }

    @Test
    void identityOn_whileThePreviousHolderOnlyCrashed_isATakeoverBeforeTheFence() {
        assertThat(takeoverAfter(HardwareEvent.FAULT, null, "crash")).singleElement().satisfies(x -> {
            assertThat(x.invariant()).isEqualTo("2");
            assertThat(x.seq()).isEqualTo(3);
            assertThat(x.message()).contains("web-1", "applied on b (group hot)", "a (group hot) had held it since");
        });
    }

    @Test
    void identityOn_whileThePreviousHolderHung_isATakeoverBeforeTheFence() {
        assertThat(takeoverAfter(HardwareEvent.FAULT, null, "hang")).extracting(HardwareViolation::invariant).containsExactly("2");
    }

    @Test
    void identityOn_afterThePreviousHolderWasPoweredOff_isNoViolation() {
        assertThat(takeoverAfter(HardwareEvent.POWER_OFF, null, "ordered")).isEmpty();
    }

    @Test
    void identityOn_afterThePreviousHolderSelfFenced_isNoViolation() {
        assertThat(takeoverAfter(HardwareEvent.SELF_FENCE, null, null)).isEmpty();
    }

    @Test
    void identityOn_afterThePreviousHolderReleasedByOrder_isNoViolation() {
        assertThat(takeoverAfter(HardwareEvent.IDENTITY_OFF, "web-1", "released")).isEmpty();
    }

    @Test
    void identityOn_afterAnIdentityOffOfAnUnknownKind_isStillATakeover() {
        assertThat(takeoverAfter(HardwareEvent.IDENTITY_OFF, "web-1", "vanished")).extracting(HardwareViolation::invariant)
                .containsExactly("2");
    }

    @Test
    void identityOn_afterAnotherProfileWasReleased_isStillATakeover() {
        assertThat(takeoverAfter(HardwareEvent.IDENTITY_OFF, "web-2", "released")).extracting(HardwareViolation::invariant)
                .containsExactly("2");
    }

    @Test
    void identityOn_ofTheSameServerAgain_orOfAnotherProfile_isNoViolation() {
        assertThat(history()
                .on(HardwareEvent.IDENTITY_ON, "a", "web-1", "initial")
                .on(HardwareEvent.IDENTITY_ON, "a", "web-1", "booted")
                .on(HardwareEvent.IDENTITY_ON, "b", "web-2", "initial")
                .check()).isEmpty();
    }

    @Test
    void identityOn_afterTheFormerHolderCameBackWithTheIdentity_isATakeoverAgain() {
        List<HardwareViolation> v = history()
                .on(HardwareEvent.IDENTITY_ON, "a", "web-1", "initial")
                .on(HardwareEvent.POWER_OFF, "a", null, "ordered")
                .on(HardwareEvent.IDENTITY_ON, "b", "web-1", "assigned")
                .on(HardwareEvent.IDENTITY_ON, "a", "web-1", "booted")
                .check();
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.seq()).isEqualTo(4);
            assertThat(x.message()).contains("applied on a (group hot)", "b (group hot) had held it");
        });
    }
}

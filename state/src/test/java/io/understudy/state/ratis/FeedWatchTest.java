package io.understudy.state.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.state.ClusterStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FeedWatch} on a driven clock: what the leader sees of its followers, step by step. */
class FeedWatchTest {
    static final long S = Duration.ofSeconds(1).toNanos();

    final FeedWatch watch = new FeedWatch();

    /** The leader n1 in {@code term} at commit index {@code commit}; n2 caught up, n3 at {@code match3}, answering {@code contact3} ms ago. */
    static ClusterStatus seen(long term, long commit, long match3, long contact3) {
        return new ClusterStatus("n1", "n1", term, commit, commit, List.of(
                new ClusterStatus.Member("n1", "a1", "leader", commit, 0, 0),
                new ClusterStatus.Member("n2", "a2", "follower", commit, 0, 40),
                new ClusterStatus.Member("n3", "a3", "follower", match3, commit - match3, contact3)));
    }

    /** Looks every half second from {@code from} to {@code to} (seconds), the commit index moving; the last verdict. */
    FeedWatch.Decision look(double from, double to, long term, long match3, long contact3) {
        FeedWatch.Decision d = FeedWatch.Decision.NONE;
        for (double t = from; t <= to + 1e-9; t += 0.5) {
            d = watch.observe((long) (t * S), seen(term, 2130 + (long) (t * 2), match3, contact3));
            if (d.verdict() != FeedWatch.Verdict.NONE) return d;
        }
        return d;
    }

    @Test
    void followerHeldAtAStaleMatchIndexAfterItsWipe_wasNotFedForMinutes_nowTheLeaderStepsDown() {
        // Campaign seed 20261202, trial 20: n3 answered every request, the leader held its match index at 2122, and
        // sent it nothing for 100 s. After the stall limit the leader steps down, once.
        assertThat(look(0, 5.5, 12, 2122, 40).verdict()).isEqualTo(FeedWatch.Verdict.NONE);
        FeedWatch.Decision d = look(6, 6.5, 12, 2122, 40);
        assertThat(d.verdict()).isEqualTo(FeedWatch.Verdict.STEP_DOWN);
        assertThat(d.follower()).isEqualTo("n3");
        assertThat(d.matchIndex()).isEqualTo(2122);
        assertThat(d.commitIndex()).isGreaterThan(2122);
    }

    @Test
    void followerBeingSentALongLog_movesAndIsLeftAlone() {
        for (int i = 0; i < 40; i++) {
            assertThat(watch.observe(i * S / 2, seen(12, 5000, 100L * i, 30)).verdict()).isEqualTo(FeedWatch.Verdict.NONE);
        }
    }

    @Test
    void followerThatDoesNotAnswer_isDownNotUnfed_andIsLeftAlone() {
        assertThat(look(0, 30, 12, 2122, 3500).verdict()).isEqualTo(FeedWatch.Verdict.NONE);
        assertThat(look(30.5, 60, 12, 2122, -1).verdict()).isEqualTo(FeedWatch.Verdict.NONE);
    }

    @Test
    void followerCaughtUp_isLeftAlone() {
        for (int i = 0; i < 40; i++) assertThat(watch.observe(i * S / 2, seen(12, 2130, 2130, 30)).verdict()).isEqualTo(FeedWatch.Verdict.NONE);
    }

    @Test
    void aNewTerm_startsLookingAfresh() {
        look(0, 5.5, 12, 2122, 40);
        // Re-elected in term 13: the indices are fresh, so the stall counts from the first look of the term.
        assertThat(look(6, 11.5, 13, 2122, 40).verdict()).isEqualTo(FeedWatch.Verdict.NONE);
        assertThat(look(12, 12.5, 13, 2122, 40).verdict()).isEqualTo(FeedWatch.Verdict.STEP_DOWN);
    }

    @Test
    void stepDowns_backOffDoubling_andStopAtTheCapWithOneSay() {
        long t = 0;
        int stepDowns = 0;
        int capped = 0;
        long last = -1;
        java.util.List<Long> gaps = new java.util.ArrayList<>();
        // Stuck for good: every look sees the same stale match; each step-down starts a new term, as it would.
        for (long term = 1; t < Duration.ofMinutes(50).toNanos(); t += S / 2) {
            FeedWatch.Decision d = watch.observe(t, seen(term, 3000 + t / S, 2122, 40));
            if (d.verdict() == FeedWatch.Verdict.STEP_DOWN) {
                stepDowns++;
                if (last >= 0) gaps.add((t - last) / S);
                last = t;
                term++;
            } else if (d.verdict() == FeedWatch.Verdict.CAPPED) {
                capped++;
            }
        }
        assertThat(stepDowns).isEqualTo(FeedWatch.CAP);
        assertThat(capped).as("the cap is said once").isEqualTo(1);
        assertThat(gaps).hasSize(FeedWatch.CAP - 1);
        for (int i = 0; i < gaps.size(); i++) {
            assertThat(gaps.get(i)).isGreaterThanOrEqualTo(FeedWatch.backoff(i + 1).toSeconds());
        }
        assertThat(gaps).isSorted();
    }

    @Test
    void backoff_doublesUpToItsMaximum() {
        assertThat(FeedWatch.backoff(1)).isEqualTo(FeedWatch.FIRST_BACKOFF);
        assertThat(FeedWatch.backoff(2)).isEqualTo(FeedWatch.FIRST_BACKOFF.multipliedBy(2));
        assertThat(FeedWatch.backoff(20)).isEqualTo(FeedWatch.MAX_BACKOFF);
    }
}

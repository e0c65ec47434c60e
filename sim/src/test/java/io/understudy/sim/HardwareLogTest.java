package io.understudy.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HardwareLogTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static void append(HardwareLog log, int n) {
        for (int i = 0; i < n; i++) log.append(T.plusSeconds(i), HardwareEvent.FAULT, "srv-1", null, null, "crash");
    }

    @Test
    void after_pagesInOrder_andNextContinuesWhereThePageEnded() {
        HardwareLog log = new HardwareLog(100);
        append(log, 5);
        HardwareLog.Page first = log.after(0);
        assertThat(first.events()).extracting(HardwareEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(first.next()).isEqualTo(5);
        assertThat(first.dropped()).isZero();
        append(log, 2);
        HardwareLog.Page second = log.after(first.next());
        assertThat(second.events()).extracting(HardwareEvent::seq).containsExactly(6L, 7L);
        assertThat(log.after(second.next()).events()).isEmpty();
        assertThat(log.after(second.next()).next()).isEqualTo(7);
    }

    @Test
    void append_pastTheBound_dropsTheOldest_andEveryPageSaysHowManyAreGone() {
        HardwareLog log = new HardwareLog(3);
        append(log, 5);
        assertThat(log.events()).extracting(HardwareEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(log.dropped()).isEqualTo(2);
        HardwareLog.Page behind = log.after(0);
        assertThat(behind.events()).extracting(HardwareEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(behind.dropped()).isEqualTo(2);
        assertThat(log.after(2).events()).as("a reader that had read up to the drop misses nothing")
                .extracting(HardwareEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(log.after(5).dropped()).isEqualTo(2);
    }

    @Test
    void after_farBehind_answersOnePageAtATime() {
        HardwareLog log = new HardwareLog(HardwareLog.PAGE * 2);
        append(log, HardwareLog.PAGE + 3);
        HardwareLog.Page first = log.after(0);
        assertThat(first.events()).hasSize(HardwareLog.PAGE);
        assertThat(first.next()).isEqualTo(HardwareLog.PAGE);
        assertThat(log.after(first.next()).events()).hasSize(3);
    }

    @Test
    void after_negative_isRefusedNamingAfter() {
        assertThatThrownBy(() -> new HardwareLog().after(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after").hasMessageContaining(">= 0");
    }
}

package io.understudy.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A service's reply (even an empty one) reads back as itself; the arbiter's answer reads as no reply at all. */
class ReplyTest {
    @Test
    void serviceReply_emptyOrNot_readsBack_arbitersAnswerIsNone() {
        assertThat(Reply.read(Reply.of("41".getBytes(StandardCharsets.UTF_8)))).hasValueSatisfying(r -> assertThat(new String(r, StandardCharsets.UTF_8)).isEqualTo("41"));
        assertThat(Reply.read(Reply.of(new byte[0]))).hasValueSatisfying(r -> assertThat(r).isEmpty());
        assertThat(Reply.read(Reply.none())).isEmpty();
        assertThat(Reply.read(new byte[0])).isEmpty();
    }
}

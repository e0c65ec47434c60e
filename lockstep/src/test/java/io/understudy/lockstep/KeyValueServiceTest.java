package io.understudy.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyValueServiceTest {
    private static String apply(KeyValueService s, String input) {
        return new String(s.apply(input.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void commands_answerAsDocumented_andBadInputNamesWhatWasExpected() {
        KeyValueService s = new KeyValueService();
        assertThat(apply(s, "put a hello world")).isEqualTo("ok");
        assertThat(apply(s, "get a")).isEqualTo("hello world");
        assertThat(apply(s, "incr n")).isEqualTo("1");
        assertThat(apply(s, "incr n")).isEqualTo("2");
        assertThat(apply(s, "incr a")).isEqualTo("error: a holds no number");
        assertThat(apply(s, "size")).isEqualTo("2");
        assertThat(apply(s, "del a")).isEqualTo("hello world");
        assertThat(apply(s, "get a")).isEmpty();
        assertThat(apply(s, "put a")).isEqualTo("error: expected put KEY VALUE");
        assertThat(apply(s, "frobnicate")).isEqualTo("error: unknown command 'frobnicate' (expected put, get, incr, del or size)");
    }

    @Test
    void snapshotThenRestore_givesTheSameStateAndTheSameNextReplies() throws Exception {
        KeyValueService a = new KeyValueService();
        for (int i = 0; i < 100; i++) apply(a, "put k" + i + " v" + i);
        apply(a, "incr n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        a.snapshot(out);
        KeyValueService b = new KeyValueService();
        apply(b, "put stale x");
        b.restore(new ByteArrayInputStream(out.toByteArray()));
        assertThat(apply(b, "get stale")).isEmpty();
        assertThat(apply(b, "incr n")).isEqualTo(apply(a, "incr n"));
        assertThat(apply(b, "size")).isEqualTo("101");
    }
}

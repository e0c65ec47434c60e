package io.understudy.state.ratis;

import java.util.function.LongConsumer;

/**
 * For tests only: a hook every Raft state machine of this JVM calls before it applies a log entry, replay
 * included, so that a test can hold a node mid-replay and check that nothing acts before the replay ends.
 */
public final class ApplyGate {
    private static final LongConsumer OPEN = index -> { };
    private static volatile LongConsumer beforeApply = OPEN;

    private ApplyGate() {}

    /** Called with each entry's log index before it is applied; may block. Pass null to open the gate again. */
    public static void set(LongConsumer hook) {
        beforeApply = hook == null ? OPEN : hook;
    }

    static void before(long index) {
        beforeApply.accept(index);
    }
}

package io.understudy.lockstep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A service the lockstep protection level can run (seed 000: two elements that execute the same inputs in the same
 * order). Both members of a pair apply every input in the order the pair's log commits it, so the service must be a
 * deterministic state machine: the same state and the same input give the same reply and the same next state on every
 * member — no clock, no randomness, no thread timing, no I/O other than its own state. A member that joins late or
 * diverged is given a snapshot and the inputs after it.
 *
 * <p>Called from one thread at a time.
 */
public interface DeterministicService {
    /** Applies one input and returns its reply. */
    byte[] apply(byte[] input);

    /** Writes the whole state. */
    void snapshot(OutputStream out) throws IOException;

    /** Replaces the whole state with one {@link #snapshot} wrote. */
    void restore(InputStream in) throws IOException;
}

package io.understudy.drivers;

/**
 * Who asks a driver to act: the Raft term (a fencing token — an agent or driver refuses orders from an older term
 * than one it has seen), and the job and step, so a repeated call after a leader change is recognised as such.
 */
public record CallContext(long term, Long job, String step) {
    public static CallContext probe(long term) {
        return new CallContext(term, null, "probe");
    }

    @Override
    public String toString() {
        return job == null ? "term " + term + " " + step : "term " + term + " job " + job + " step " + step;
    }
}

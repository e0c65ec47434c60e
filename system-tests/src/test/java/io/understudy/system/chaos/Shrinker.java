package io.understudy.system.chaos;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds a shorter schedule that still breaks the same invariant: drops one fault at a time and keeps the drop when a
 * re-run still fails that way, until no single drop does or the re-runs allowed are spent.
 */
final class Shrinker {
    /** Runs a schedule as a trial and answers its violations. */
    interface Runner {
        List<Violation> run(Schedule s) throws Exception;
    }

    private Shrinker() {}

    static Schedule shrink(Schedule failing, List<Violation> found, Runner runner, int maxRuns) throws Exception {
        Set<String> broken = found.stream().map(Violation::invariant).collect(Collectors.toSet());
        Schedule current = failing;
        int runs = 0;
        boolean dropped = true;
        while (dropped && runs < maxRuns) {
            dropped = false;
            for (int i = 0; i < current.faults().size() && runs < maxRuns; i++) {
                Schedule candidate = current.without(i);
                runs++;
                if (runner.run(candidate).stream().anyMatch(v -> broken.contains(v.invariant()))) {
                    current = candidate;
                    dropped = true;
                    break;
                }
            }
        }
        return current;
    }
}

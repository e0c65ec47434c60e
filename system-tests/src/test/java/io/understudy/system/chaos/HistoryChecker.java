package io.understudy.system.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.JobBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Invariants 3 to 6 over what the API showed during a trial (invariants 1 and 2 are the hardware's:
 * {@link HardwareInvariants}). Views of a node are compared only within one life of that node: a follower may lag,
 * and a node started again replays its log, but the views of one running node never go back.
 */
final class HistoryChecker {
    /** How long a settled group may take to show every node a job one node showed. */
    private static final Duration REPLICATION_GRACE = Duration.ofSeconds(5);

    private HistoryChecker() {}

    static List<Violation> check(History h) {
        JobViews views = new JobViews(h);
        List<Violation> out = new ArrayList<>();
        spareReservedOnce(views, h.firstJob(), out);
        noStepRunTwice(views, h.firstJob(), out);
        noJobLost(views, h.firstJob(), out);
        noFailoverWithoutCause(views, h, out);
        budgetsHold(views, h.firstJob(), out);
        return out;
    }

    /** The jobs that reserve their target: a failover's spare, a move's target, a fallback's home. */
    static final Set<String> TAKES_A_SPARE = Set.of("failover", "move", "fallback");

    /** Invariant 3: no server the target of two running jobs at once; no profile sent to a server that does not meet its needs. */
    static void spareReservedOnce(JobViews v, long firstJob, List<Violation> out) {
        Set<String> said = new HashSet<>();
        for (JobViews.Listing list : v.lists) {
            Map<String, Long> byTarget = new HashMap<>();
            for (JobViews.Seen s : list.jobs()) {
                if (s.id() < firstJob || !"running".equals(s.text("status")) || !TAKES_A_SPARE.contains(s.text("type"))) continue;
                String target = s.text("target");
                if (target == null) continue;
                Long other = byTarget.putIfAbsent(target, s.id());
                if (other != null && said.add(other + "/" + s.id())) {
                    out.add(new Violation("3", "spare " + target + " reserved by running jobs " + other + " and " + s.id()
                            + " at once (seen on " + s.from().node() + " at " + s.from().at() + ")"));
                }
            }
        }
        for (JsonNode j : v.newest().values()) {
            String target = j.path("target").asText(null);
            if (j.path("id").asLong() < firstJob || !TAKES_A_SPARE.contains(j.path("type").asText()) || target == null) continue;
            if (!ChaosDataCenter.qualifies(j.path("profile").asText(), target)) {
                out.add(new Violation("3", "job " + j.path("id").asLong() + " chose " + target + " for " + j.path("profile").asText()
                        + ", which does not meet its needs (" + ChaosDataCenter.server(target) + ")"));
            }
        }
    }

    /**
     * Invariant 4, steps: within one life of a node, a job's step never goes back (a finished one never runs again);
     * across all nodes, a step seen done has one start time (a second one means it was run twice).
     */
    static void noStepRunTwice(JobViews v, long firstJob, List<Violation> out) {
        Map<String, Integer> rank = new HashMap<>();
        Map<String, String> firstStart = new HashMap<>();
        Set<String> said = new HashSet<>();
        for (JobViews.Seen s : v.details) {
            if (s.id() < firstJob) continue;
            JsonNode steps = s.job().path("steps");
            for (int i = 0; i < steps.size(); i++) {
                JsonNode step = steps.get(i);
                String status = step.path("status").asText();
                String where = s.id() + "/" + step.path("name").asText();
                String life = s.from().node() + "#" + s.from().incarnation() + " " + where;
                int r = switch (status) {
                    case "pending" -> 0;
                    case "running" -> 1;
                    default -> 2;
                };
                Integer before = rank.put(life, Math.max(r, rank.getOrDefault(life, 0)));
                if (before != null && before > r && said.add("back " + life)) {
                    out.add(new Violation("4", "job " + where + " went back to " + status + " on " + s.from().node()
                            + " at " + s.from().at() + " after it had finished"));
                }
                if (status.equals("done")) {
                    String started = step.path("started").asText();
                    String first = firstStart.putIfAbsent(where, started);
                    if (first != null && !first.equals(started) && said.add("twice " + where)) {
                        out.add(new Violation("4", "job " + where + " done twice: started at " + first + " and at " + started));
                    }
                }
            }
        }
    }

    /**
     * Invariant 4, jobs: within one life of a node a job's status only moves from running to an end, and ends once;
     * every job seen anywhere is in the last list of every node, with the end any node saw.
     */
    static void noJobLost(JobViews v, long firstJob, List<Violation> out) {
        Map<String, String> status = new HashMap<>();
        Map<Long, String> ended = new HashMap<>();
        Map<String, JobViews.Listing> lastList = new HashMap<>();
        Set<String> said = new HashSet<>();
        for (JobViews.Listing list : v.lists) {
            for (JobViews.Seen s : list.jobs()) {
                if (s.id() < firstJob) continue;
                String life = s.from().node() + "#" + s.from().incarnation() + " job " + s.id();
                String now = s.text("status");
                String before = status.put(life, now);
                if (before != null && !before.equals(now) && !before.equals("running") && said.add(life)) {
                    out.add(new Violation("4", "job " + s.id() + " went from " + before + " to " + now + " on " + s.from().node()
                            + " at " + s.from().at()));
                }
                if (!"running".equals(now)) {
                    String other = ended.putIfAbsent(s.id(), now);
                    if (other != null && !other.equals(now) && said.add("ends " + s.id())) {
                        out.add(new Violation("4", "job " + s.id() + " ended both " + other + " and " + now));
                    }
                }
            }
            lastList.put(list.from().node(), list);
        }
        Map<Long, Instant> seen = new HashMap<>();
        for (JobViews.Listing l : v.lists) for (JobViews.Seen s : l.jobs()) if (s.id() >= firstJob) seen.putIfAbsent(s.id(), s.from().at());
        for (Map.Entry<String, JobViews.Listing> last : lastList.entrySet()) {
            Set<Long> there = new HashSet<>();
            for (JobViews.Seen s : last.getValue().jobs()) there.add(s.id());
            Instant lastAt = last.getValue().from().at();
            for (Map.Entry<Long, Instant> job : seen.entrySet()) {
                long id = job.getKey();
                // A job first seen just before a node's last list may not have reached that node yet.
                if (!there.contains(id) && lastAt.isAfter(job.getValue().plus(REPLICATION_GRACE))) {
                    out.add(new Violation("4", "job " + id + " lost: not in " + last.getKey() + "'s last job list (" + lastAt + ")"));
                }
            }
        }
    }

    /**
     * Invariant 5: every automatic failover has a cause the harness made, a hardware fault on its source applied
     * before the job was first seen (a leader change or a partition alone is no cause).
     */
    static void noFailoverWithoutCause(JobViews v, History h, List<Violation> out) {
        Map<String, Instant> faulted = new HashMap<>();
        for (Injection i : h.injections()) {
            if (!i.undo() && i.fault().kind().hardware && i.outcome().startsWith("ok")) faulted.putIfAbsent(i.fault().target(), i.at());
        }
        Map<Long, Instant> firstSeen = new HashMap<>();
        for (JobViews.Listing l : v.lists) for (JobViews.Seen s : l.jobs()) firstSeen.putIfAbsent(s.id(), s.from().at());
        for (JsonNode j : v.newest().values()) {
            long id = j.path("id").asLong();
            if (id < h.firstJob() || !"failover".equals(j.path("type").asText())) continue;
            if (!JobBudget.EVENT_HANDLING.equals(j.path("startedBy").asText())) continue;
            String source = j.path("source").asText();
            Instant fault = faulted.get(source);
            if (fault == null || fault.isAfter(firstSeen.get(id))) {
                out.add(new Violation("5", "automatic failover job " + id + " of " + j.path("profile").asText() + " from " + source
                        + ", a server with no fault injected " + (fault == null ? "in the trial" : "before the job was seen (" + firstSeen.get(id)
                        + "; fault at " + fault + ")") + " (reason: " + j.path("reason").asText() + ")"));
            }
        }
    }

    /**
     * Invariant 6: no automatic job of a profile after {@code retryLimit} failed automatic ones of its kind within the
     * window (an operator's job or a success starts the count again), and no automatic fallback past
     * {@code fallbackLimit} fallbacks within the window.
     */
    static void budgetsHold(JobViews v, long firstJob, List<Violation> out) {
        List<JsonNode> jobs = new ArrayList<>(v.newest().values());
        jobs.sort(Comparator.comparingLong(j -> j.path("id").asLong()));
        Map<Long, JsonNode> details = v.newestDetails();
        Duration window = ChaosDataCenter.WINDOW;
        for (JsonNode j : jobs) {
            long id = j.path("id").asLong();
            if (id < firstJob || !JobBudget.automatic(j.path("startedBy").asText())) continue;
            Instant created = Instant.parse(j.path("created").asText());
            String profile = j.path("profile").asText();
            String type = j.path("type").asText();
            int failures = 0;
            int fallbacks = 0;
            for (JsonNode e : jobs) {
                if (e.path("id").asLong() >= id) break;
                if (!Objects.equals(e.path("profile").asText(), profile)) continue;
                // As JobBudget counts at the job's creation: jobs ended by then; an operator's job or a success of any
                // kind starts afresh.
                if (within(e.path("ended").asText(null), created, Duration.ofDays(3650))) {
                    if (!JobBudget.automatic(e.path("startedBy").asText()) || e.path("status").asText().equals("succeeded")) failures = 0;
                    else if (e.path("type").asText().equals(type) && within(e.path("ended").asText(null), created, window)) failures++;
                }
                JsonNode d = details.get(e.path("id").asLong());
                if (type.equals("fallback") && e.path("type").asText().equals("fallback") && d != null) {
                    for (JsonNode step : d.path("steps")) {
                        if (step.path("name").asText().equals("move-profile") && step.path("status").asText().equals("done")
                                && within(step.path("ended").asText(null), created, window)) fallbacks++;
                    }
                }
            }
            if (failures >= ChaosDataCenter.RETRY_LIMIT) {
                out.add(new Violation("6", "automatic " + type + " job " + id + " of " + profile + " created after " + failures
                        + " failed automatic ones within " + window + " (limit " + ChaosDataCenter.RETRY_LIMIT + ")"));
            }
            // The flapping limit guards a running profile; a recovery starts one that runs nowhere (not held by it).
            if (type.equals("fallback") && JobBudget.FALLBACK_POLICY.equals(j.path("startedBy").asText()) && fallbacks >= ChaosDataCenter.FALLBACK_LIMIT) {
                out.add(new Violation("6", "automatic fallback job " + id + " of " + profile + " after " + fallbacks
                        + " fallbacks within " + window + " (fallbackLimit " + ChaosDataCenter.FALLBACK_LIMIT + ")"));
            }
        }
    }

    private static boolean within(String at, Instant before, Duration window) {
        if (at == null) return false;
        Instant t = Instant.parse(at);
        return !t.isAfter(before) && t.isAfter(before.minus(window));
    }
}

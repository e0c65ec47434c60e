package io.understudy.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker over hand-written histories: each broken invariant is found, and a sound history passes. */
class HistoryCheckerTest {
    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
    private final List<Exchange> exchanges = new ArrayList<>();
    private final List<Injection> injections = new ArrayList<>();

    @Test
    void soundFailover_noViolation() {
        fault(0, FaultKind.CRASH, "r1");
        list(1, "n1", 1, job(1, "failover", "p1", "r1", "s1", "running", "automatic event handling"));
        detail(2, "n1", 1, 1, step("fence", "done", "10:00:01"), step("move-profile", "running", "10:00:02"));
        detail(3, "n1", 1, 1, step("fence", "done", "10:00:01"), step("move-profile", "done", "10:00:02"));
        list(4, "n1", 1, job(1, "failover", "p1", "r1", "s1", "succeeded", "automatic event handling"));
        list(4, "n2", 1, job(1, "failover", "p1", "r1", "s1", "succeeded", "automatic event handling"));

        assertThat(HistoryChecker.check(history())).isEmpty();
    }

    @Test
    void stepDoneTwiceAfterALeaderChange_breaksInvariant4() {
        fault(0, FaultKind.CRASH, "r1");
        detail(1, "n1", 1, 1, step("fence", "done", "10:00:01"));
        detail(5, "n2", 1, 1, step("fence", "done", "10:00:09"));

        assertThat(HistoryChecker.check(history())).extracting(Violation::invariant).contains("4");
    }

    @Test
    void finishedStepRunningAgainOnOneNode_breaksInvariant4() {
        detail(1, "n1", 1, 1, step("fence", "done", "10:00:01"));
        detail(2, "n1", 1, 1, step("fence", "running", "10:00:05"));

        assertThat(HistoryChecker.check(history())).extracting(Violation::invariant).contains("4");
    }

    @Test
    void jobMissingFromANodesLastList_isLost() {
        fault(0, FaultKind.CRASH, "r1");
        list(1, "n1", 1, job(1, "failover", "p1", "r1", "s1", "succeeded", "automatic event handling"));
        list(20, "n3", 2);

        assertThat(HistoryChecker.check(history())).extracting(Violation::message).anyMatch(m -> m.contains("job 1 lost"));
    }

    @Test
    void oneSpareInTwoRunningJobs_breaksInvariant3() {
        fault(0, FaultKind.CRASH, "r1");
        fault(0, FaultKind.CRASH, "r2");
        list(1, "n1", 1, job(1, "failover", "p1", "r1", "s1", "running", "automatic event handling"),
                job(2, "failover", "p2", "r2", "s1", "running", "automatic event handling"));

        assertThat(HistoryChecker.check(history())).extracting(Violation::invariant).containsExactly("3");
    }

    @Test
    void spareTakenByAMoveAndAFailoverAtOnce_breaksInvariant3() {
        fault(0, FaultKind.CRASH, "r2");
        fault(0, FaultKind.OPERATOR_MOVE, "p1");
        list(1, "n1", 1, job(1, "move", "p1", "r1", "s1", "running", "admin token 'admin'"),
                job(2, "failover", "p2", "r2", "s1", "running", "automatic event handling"));

        assertThat(HistoryChecker.check(history())).extracting(Violation::invariant).containsExactly("3");
    }

    @Test
    void variantKinds_leaveTheFirstDrawnFaultsTheirTimes() {
        // A seed's times and kinds other than the variants are those it drew before the variants came in.
        java.util.Set<FaultKind> old = java.util.EnumSet.allOf(FaultKind.class);
        old.removeIf(k -> k.variantOf() != null);
        for (long seed = 1; seed < 200; seed++) {
            Schedule before = Schedule.draw(seed, old);
            Schedule now = Schedule.draw(seed, java.util.EnumSet.allOf(FaultKind.class));
            assertThat(now.faults()).hasSameSizeAs(before.faults());
            for (int i = 0; i < now.faults().size(); i++) {
                Fault a = before.faults().get(i);
                Fault b = now.faults().get(i);
                assertThat(b.atMs()).isEqualTo(a.atMs());
                assertThat(b.kind() == a.kind() || b.kind().variantOf() == a.kind()).as(a + " / " + b).isTrue();
            }
        }
    }

    @Test
    void profileSentToASpareOfAnotherModel_breaksInvariant3() {
        fault(0, FaultKind.CRASH, "r1");
        list(1, "n1", 1, job(1, "failover", "p1", "r1", "s3", "succeeded", "automatic event handling"));

        assertThat(HistoryChecker.check(history())).extracting(Violation::invariant).containsExactly("3");
    }

    @Test
    void automaticFailoverOfAServerFaultedOnlyAfterwards_breaksInvariant5() {
        list(1, "n1", 1, job(1, "failover", "p1", "r1", "s1", "running", "automatic event handling"));
        fault(3, FaultKind.CRASH, "r1");

        assertThat(HistoryChecker.check(history())).extracting(Violation::invariant).containsExactly("5");
    }

    @Test
    void operatorFailoverOfAHealthyServer_isNoViolation() {
        list(1, "n1", 1, job(1, "failover", "p1", "r1", "s1", "succeeded", "admin"));

        assertThat(HistoryChecker.check(history())).isEmpty();
    }

    @Test
    void automaticJobAfterTheRetryLimit_breaksInvariant6() {
        fault(0, FaultKind.STUCK_POWER, "r1");
        fault(0, FaultKind.CRASH, "r1");
        String[] jobs = new String[ChaosDataCenter.RETRY_LIMIT + 1];
        for (int i = 0; i <= ChaosDataCenter.RETRY_LIMIT; i++) {
            jobs[i] = job(i + 1, "failover", "p1", "r1", null, i < ChaosDataCenter.RETRY_LIMIT ? "failed" : "running", "automatic event handling",
                    "2026-12-02T10:0" + i + ":00Z", i < ChaosDataCenter.RETRY_LIMIT ? "2026-12-02T10:0" + i + ":30Z" : null);
        }
        list(1, "n1", 1, jobs);

        assertThat(HistoryChecker.check(history())).extracting(Violation::invariant).containsExactly("6");
    }

    @Test
    void automaticJobsUpToTheRetryLimit_areNoViolation() {
        fault(0, FaultKind.CRASH, "r1");
        String[] jobs = new String[ChaosDataCenter.RETRY_LIMIT];
        for (int i = 0; i < ChaosDataCenter.RETRY_LIMIT; i++) {
            jobs[i] = job(i + 1, "failover", "p1", "r1", null, "failed", "automatic event handling",
                    "2026-12-02T10:0" + i + ":00Z", "2026-12-02T10:0" + i + ":30Z");
        }
        list(1, "n1", 1, jobs);

        assertThat(HistoryChecker.check(history())).isEmpty();
    }

    private History history() {
        return new History(new Schedule(0, List.of()), 1, exchanges, injections, List.of());
    }

    private void fault(int second, FaultKind kind, String target) {
        injections.add(new Injection(T0.plusSeconds(second), new Fault(0, kind, target, 0), false, "ok: 200"));
    }

    private void list(int second, String node, int life, String... jobs) {
        exchanges.add(new Exchange(T0.plusSeconds(second), node, life, "GET /api/v1/jobs", 200, "[" + String.join(",", jobs) + "]"));
    }

    private void detail(int second, String node, int life, long id, String... steps) {
        exchanges.add(new Exchange(T0.plusSeconds(second), node, life, "GET /api/v1/jobs/" + id, 200,
                "{\"id\":" + id + ",\"steps\":[" + String.join(",", steps) + "]}"));
    }

    private static String job(long id, String type, String profile, String source, String target, String status, String by) {
        return job(id, type, profile, source, target, status, by, "2026-12-02T10:00:00Z", status.equals("running") ? null : "2026-12-02T10:00:30Z");
    }

    private static String job(long id, String type, String profile, String source, String target, String status, String by,
                              String created, String ended) {
        return "{\"id\":" + id + ",\"type\":\"" + type + "\",\"group\":\"hot\",\"profile\":\"" + profile + "\",\"source\":\"" + source
                + "\",\"target\":" + (target == null ? "null" : "\"" + target + "\"") + ",\"status\":\"" + status + "\",\"startedBy\":\"" + by
                + "\",\"reason\":\"test\",\"created\":\"" + created + "\",\"ended\":" + (ended == null ? "null" : "\"" + ended + "\"") + "}";
    }

    private static String step(String name, String status, String started) {
        return "{\"name\":\"" + name + "\",\"status\":\"" + status + "\",\"started\":\"2026-12-02T" + started + "Z\"}";
    }
}

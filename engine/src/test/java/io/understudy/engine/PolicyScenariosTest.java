package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.config.EventHandling;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyScenariosTest {

    private static boolean allEnded(SimFixture f, int n) {
        return f.jobs().size() >= n && f.jobs().stream().noneMatch(Job::active);
    }

    @Test
    void priority_whenFailuresOutnumberSpares_bestPriorityGetsSpareFirst() {
        SimFixture f = new SimFixture().settled();
        // Three cold failures, two spares: db-1 (priority 1) and db-2 get spares, db-3 waits for one, at risk.
        f.fail("bl-3", Fault.POWER_LOSS);
        f.fail("bl-1", Fault.POWER_LOSS);
        f.fail("bl-2", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> f.jobs().size() == 3 && f.jobs().stream().filter(Job::active).count() == 1,
                Duration.ofMinutes(3))).isTrue();
        assertThat(f.serverOf("db-1")).isIn("bl-s1", "bl-s2");
        assertThat(f.serverOf("db-2")).isIn("bl-s1", "bl-s2");
        Job db3 = f.jobs().stream().filter(j -> j.profile().equals("db-3")).findFirst().orElseThrow();
        assertThat(db3.active()).isTrue();
        assertThat(f.alarm(AlarmType.PROFILE_AT_RISK, "db-3").map(Alarm::text).orElseThrow()).contains("no qualified spare");
        assertThat(f.alarm(AlarmType.FAILOVER_FAILED, "db-3")).isEmpty();
    }

    @Test
    void preemption_betterPriorityFailure_displacesWorseProfileOnSpare() {
        SimFixture f = new SimFixture().settled();
        f.fail("dl-3", Fault.CRASH);   // web-3, priority 13
        f.fail("dl-4", Fault.CRASH);   // web-4, priority 14
        assertThat(f.runUntil(() -> allEnded(f, 2), Duration.ofSeconds(30))).isTrue();
        f.fail("dl-1", Fault.CRASH);   // web-1, priority 11: preempts web-4
        assertThat(f.runUntil(() -> allEnded(f, 3), Duration.ofSeconds(60))).as(() -> f.jobs() + "\n" + f.engine.decisions().recent()).isTrue();
        Job third = f.jobs().get(2);
        assertThat(third.status()).as(third.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(third.victim()).isEqualTo("web-4");
        assertThat(f.serverOf("web-4")).isNull();
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "web-4").map(Alarm::text).orElseThrow()).contains("preempted");
        assertThat(f.sim.holders("web-1")).hasSize(1);
        assertThat(f.sim.holders("web-4")).isEmpty();
    }

    @Test
    void alertOnly_raisesAlarmAndWaits_thenOperatorStartsFailover() {
        var dc = DataCenters.withPolicy(DataCenters.demo(), "hot", p -> DataCenters.policy(p).events(EventHandling.ALERT_ONLY).build());
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        f.fail("dl-2", Fault.CRASH);
        f.run(Duration.ofSeconds(10));
        assertThat(f.jobs()).isEmpty();
        assertThat(f.alarm(AlarmType.SERVER_FAILED, "dl-2").map(Alarm::text).orElseThrow()).contains("waiting for an operator");
        var r = f.engine.operations().failover("enc2/bay2", "admin token 'ops'");
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(f.runUntil(() -> allEnded(f, 1), Duration.ofSeconds(30))).isTrue();
        assertThat(f.onlyJob().startedBy()).isEqualTo("admin token 'ops'");
        assertThat(f.onlyJob().status()).isEqualTo(Job.Status.SUCCEEDED);
    }

    @Test
    void failover_secondRequestForSameProfile_isRefused() {
        SimFixture f = new SimFixture().settled();
        var first = f.engine.operations().failover("web1", "op");
        var second = f.engine.operations().failover("198.18.2.11", "op");
        assertThat(first.ok()).isTrue();
        assertThat(second.ok()).isFalse();
        assertThat(second.message()).contains("already has job 1 running");
    }

    @Test
    void lock_keepsProfileWhereItIs_andUnlockObeysFallbackPolicy() {
        SimFixture f = new SimFixture().settled();
        assertThat(f.engine.operations().lock("web-1", "dl-1", "op").ok()).isTrue();
        f.fail("dl-1", Fault.CRASH);
        f.run(Duration.ofSeconds(10));
        assertThat(f.jobs()).isEmpty();
        assertThat(f.alarm(AlarmType.SERVER_FAILED, "dl-1").map(Alarm::text).orElseThrow()).contains("locked");
        assertThat(f.engine.operations().failover("dl-1", "op").message()).contains("locked to dl-1");
        assertThat(f.engine.operations().unlock("web-1", "op").ok()).isTrue();
        assertThat(f.engine.operations().failover("dl-1", "op").ok()).isTrue();
    }

    @Test
    void maintenance_startsNoAutomaticJob() {
        SimFixture f = new SimFixture().settled();
        f.engine.operations().maintenance("hot", true, "op");
        f.fail("dl-1", Fault.CRASH);
        f.run(Duration.ofSeconds(10));
        assertThat(f.jobs()).isEmpty();
        assertThat(f.alarm(AlarmType.SERVER_FAILED, "dl-1").map(Alarm::text).orElseThrow()).contains("maintenance");
    }

    @Test
    void manualFallback_afterRepair_bringsColdProfileHome_andSpareBackToStandby() {
        SimFixture f = new SimFixture().settled();
        f.fail("bl-1", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> allEnded(f, 1), Duration.ofMinutes(2))).isTrue();
        assertThat(f.serverOf("db-1")).isEqualTo("bl-s1");
        // Manual fallback: nothing happens by itself after repair.
        f.sim.repair("bl-1");
        f.run(Duration.ofSeconds(20));
        assertThat(f.stateOf("bl-1")).isEqualTo(ServerState.RUNNING);
        assertThat(f.jobs()).hasSize(1);
        var r = f.engine.operations().fallback("db-1", "op");
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(f.runUntil(() -> allEnded(f, 2), Duration.ofMinutes(2))).isTrue();
        Job back = f.jobs().get(1);
        assertThat(back.type()).isEqualTo(JobType.FALLBACK);
        assertThat(back.status()).as(back.message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(f.serverOf("db-1")).isEqualTo("bl-1");
        assertThat(f.sim.holders("db-1")).containsExactly("bl-1");
        assertThat(f.stateOf("bl-s1")).isEqualTo(ServerState.OFF);
        assertThat(f.alarm(AlarmType.PROFILE_ON_SPARE, "db-1")).isEmpty();
    }

    @Test
    void automaticFallback_afterHoldDown_andFlappingIsHeldWithAlarm() {
        var dc = DataCenters.withPolicy(DataCenters.demo(), "hot",
                p -> DataCenters.policy(p).fallback(Duration.ofSeconds(30), 2, Duration.ofHours(1)).build());
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        for (int round = 1; round <= 3; round++) {
            int jobsBefore = f.jobs().size();
            f.fail("dl-1", Fault.CRASH);
            assertThat(f.runUntil(() -> allEnded(f, jobsBefore + 1), Duration.ofSeconds(30))).isTrue();
            assertThat(f.serverOf("web-1")).isNotEqualTo("dl-1");
            f.sim.repair("dl-1");
            f.run(Duration.ofSeconds(15));
            // Not before the hold-down.
            assertThat(f.jobs()).hasSize(jobsBefore + 1);
            f.run(Duration.ofSeconds(40));
            if (round < 3) {
                assertThat(f.runUntil(() -> allEnded(f, jobsBefore + 2), Duration.ofSeconds(30))).isTrue();
                assertThat(f.serverOf("web-1")).as("round " + round).isEqualTo("dl-1");
            }
        }
        // Third time: two fallbacks within the window already; held on the spare with an alarm.
        assertThat(f.serverOf("web-1")).isNotEqualTo("dl-1");
        assertThat(f.alarm(AlarmType.FLAPPING, "web-1").map(Alarm::text).orElseThrow()).contains("2 fallbacks within 1h");
        List<Job> fallbacks = f.jobs().stream().filter(j -> j.type() == JobType.FALLBACK).toList();
        assertThat(fallbacks).hasSize(2).allMatch(j -> j.startedBy().equals(FallbackWatcher.BY));
    }

    @Test
    void leaderChange_byItself_causesNoFailover() {
        SimFixture f = new SimFixture().settled();
        for (int i = 0; i < 5; i++) {
            f.engine.leadershipLost();
            f.run(Duration.ofSeconds(3));   // longer than the hot group's failure timeout
            f.engine.leaderReady(2 + i);
            f.run(Duration.ofSeconds(3));
        }
        assertThat(f.jobs()).isEmpty();
        long down = f.read(s -> s.servers().stream().filter(r -> r.state().isDown()).count());
        assertThat(down).isZero();
    }

    /**
     * Found by the fault campaign (seed 8519392794254051655): a hardware event every node heard was acted on by the
     * leader of the time; a follower kept it queued, and when it became leader two trials later it failed the
     * repaired server over again, with nothing wrong on it.
     */
    @Test
    void heartbeatOnItsWayWhenTheFencePoweredTheServerOff_unfencedItAndTheFailoverFailedAtMoveProfile() {
        SimFixture f = new SimFixture().settled();
        var r = f.engine.operations().failover("dl-1", "operator");
        assertThat(r.ok()).as(r.message()).isTrue();
        // The fence is confirmed; 20 ms later this node handles the last heartbeat dl-1's agent sent before it died.
        var fenced = f.store.submit(new io.understudy.state.command.ConfirmFence(r.job(), "dl-1",
                "power off confirmed by BMC (ipmi) read-back", f.clock.now().minusMillis(20)));
        assertThat(fenced.ok()).isTrue();
        f.engine.detector().heartbeat("dl-1", f.clock.now());
        f.engine.detector().tick();
        assertThat(f.stateOf("dl-1")).as("a heartbeat from before the fence is no repair").isEqualTo(io.understudy.model.ServerState.FENCED);
    }

    @Test
    void hardwareEventQueuedOnAFollower_failedTheRepairedServerOverWhenItLed() {
        SimFixture f = new SimFixture().settled();
        f.engine.leadershipLost();
        f.engine.detector().hardwareEvent("dl-4", "uncorrectable memory error (DIMM 3)", f.clock.now());
        f.run(Duration.ofSeconds(30));
        f.engine.leaderReady(2);
        f.run(Duration.ofSeconds(30));
        assertThat(f.jobs()).isEmpty();
        assertThat(f.stateOf("dl-4")).isEqualTo(ServerState.RUNNING);
        assertThat(f.engine.decisions().about("dl-4")).anyMatch(d -> d.text().contains("before this node led, not acted on"));
    }

    /** The other side: an event heard just before a leader change, which the old leader may never have acted on, is. */
    @Test
    void hardwareEventHeardJustBeforeALeaderChange_isActedOn() {
        SimFixture f = new SimFixture().settled();
        f.engine.leadershipLost();
        f.engine.detector().hardwareEvent("dl-4", "uncorrectable memory error (DIMM 3)", f.clock.now());
        f.run(Duration.ofMillis(500));
        f.engine.leaderReady(2);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofSeconds(60))).isTrue();
        assertThat(f.onlyJob().reason()).contains("hardware event: uncorrectable memory error");
    }

    @Test
    void detectorBrake_manySilentServersWithUnreachableBmcs_fencesNobody() {
        SimFixture f = new SimFixture().settled();
        for (String s : List.of("dl-1", "dl-2", "dl-3", "dl-4", "bl-1", "bl-2", "bl-3", "bl-4", "dl-s1", "dl-s2")) {
            f.fail(s, Fault.BMC_DOWN);
            f.fail(s, Fault.HANG);
        }
        f.run(Duration.ofSeconds(20));
        assertThat(f.jobs()).isEmpty();
        assertThat(f.alarm(AlarmType.DETECTOR_BRAKE, "detector").map(Alarm::text).orElseThrow()).contains("fencing nobody");
    }

    @Test
    void capacity_whenSparesCannotAbsorbAnticipatedFailures_raisesAlarmBeforeAnythingFails() {
        var dc = DataCenters.withPolicy(DataCenters.demo(), "hot", p -> DataCenters.policy(p).anticipated(3).build());
        SimFixture f = new SimFixture(dc, SimTimings.FAST).settled();
        assertThat(f.alarm(AlarmType.SPARE_POOL_INSUFFICIENT, "hot").map(Alarm::text).orElseThrow())
                .contains("would find no fitting spare");
        assertThat(f.alarm(AlarmType.SPARE_POOL_INSUFFICIENT, "cold")).isEmpty();
    }

    /** Regression: the last heartbeat of a healthy server fenced by an operator's failover turned it back to running. */
    @Test
    void operatorFailover_ofHealthyServer_staysFencedUntilMoved() {
        SimFixture f = new SimFixture().settled();
        var r = f.engine.operations().failover("enc1/bay3", "op");
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(f.runUntil(() -> allEnded(f, 1), Duration.ofMinutes(2))).isTrue();
        assertThat(f.onlyJob().status()).as(f.onlyJob().message()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(f.stateOf("bl-3")).isEqualTo(ServerState.FENCED);
        assertThat(f.sim.holders("db-3")).containsExactly("bl-s1");
    }

    @Test
    void spareOutOfOrder_hotSpareCrashes_alarmRaisedAndClearedOnRepair() {
        SimFixture f = new SimFixture().settled();
        f.fail("dl-s1", Fault.CRASH);
        f.run(Duration.ofSeconds(5));
        assertThat(f.jobs()).isEmpty();
        assertThat(f.alarm(AlarmType.SPARE_OUT_OF_ORDER, "dl-s1").map(Alarm::text).orElseThrow()).contains("critical health");
        f.sim.repair("dl-s1");
        f.run(Duration.ofSeconds(15));
        assertThat(f.stateOf("dl-s1")).isEqualTo(ServerState.RUNNING);
        assertThat(f.alarm(AlarmType.SPARE_OUT_OF_ORDER, "dl-s1")).isEmpty();
    }

    @Test
    void spareOutOfOrder_coldSpareBmcUnreachable_foundByProbe_andNotChosen() {
        SimFixture f = new SimFixture().settled();
        f.fail("bl-s1", Fault.BMC_DOWN);
        f.run(Duration.ofSeconds(15));
        assertThat(f.alarm(AlarmType.SPARE_OUT_OF_ORDER, "bl-s1").map(Alarm::text).orElseThrow()).contains("BMC probe failed");
        f.fail("bl-1", Fault.POWER_LOSS);
        assertThat(f.runUntil(() -> allEnded(f, 1), Duration.ofMinutes(3))).isTrue();
        assertThat(f.onlyJob().target()).isEqualTo("bl-s2");
        assertThat(f.onlyJob().steps().get(f.onlyJob().stepIndex("select-spare")).message()).contains("chose bl-s2");
    }
}

package io.understudy.state;

import static io.understudy.state.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.Command;
import io.understudy.state.command.RaiseAlarm;
import io.understudy.state.command.RecordHookAttempt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine queues hook events as things happen and settles their deliveries the same way on every replica. */
class HookQueueTest {
    final StateMachine m = new StateMachine();
    long index;

    Result apply(Command c) {
        return m.apply(c, index++);
    }

    static HookSpec hook(String name, HookEvent... events) {
        return new HookSpec(name, List.of(events), List.of("/bin/true"), null, null, null, 2, Duration.ofSeconds(1));
    }

    /** Fixtures' data center with a global hook on alarms and a group hook on failover-failed. */
    static DataCenterConfig withHooks() {
        DataCenterConfig dc = Fixtures.dataCenter();
        GroupSpec g = dc.groups().get(0);
        return new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(),
                List.of(new GroupSpec(g.id(), g.servers(), g.spares(), g.policy(), List.of(hook("pager", HookEvent.FAILOVER_FAILED)))),
                dc.profiles(), List.of(hook("chat", HookEvent.ALARM_RAISED, HookEvent.ALARM_CLEARED)));
    }

    java.util.Optional<Alarm> failing() {
        return m.read(s -> s.openAlarm(AlarmType.HOOK_FAILING, "chat"));
    }

    List<HookFiring> events() {
        return m.read(s -> List.copyOf(s.hookEvents()));
    }

    @Test
    void raisingAndClearingAnAlarm_queuesOneEventEach_forTheHooksConfiguredForIt() {
        apply(new ApplyConfig(withHooks(), "test", T0));
        apply(new RaiseAlarm(AlarmType.SERVER_FAILED, "s1", "s1 crashed", T0));
        apply(new RaiseAlarm(AlarmType.SERVER_FAILED, "s1", "s1 crashed, BMC says critical", T0.plusSeconds(1)));
        apply(new ClearAlarm(AlarmType.SERVER_FAILED, "s1", T0.plusSeconds(2)));

        assertThat(events()).extracting(HookFiring::event).containsExactly(HookEvent.ALARM_RAISED, HookEvent.ALARM_CLEARED);
        HookFiring raised = events().get(0);
        assertThat(raised.group()).isEqualTo("g1");
        assertThat(raised.variables()).containsEntry("event", "alarm-raised").containsEntry("event_id", "1")
                .containsEntry("alarm", "server-failed").containsEntry("subject", "s1").containsEntry("text", "s1 crashed")
                .containsEntry("group", "g1").containsEntry("time", T0.toString());
        assertThat(raised.deliveries()).extracting(HookFiring.Delivery::hook).containsExactly("chat");
        assertThat(raised.idempotencyKey()).isEqualTo("1-" + T0.toEpochMilli());
    }

    @Test
    void anEventNoHookIsConfiguredFor_isNotQueued() {
        apply(Fixtures.applyConfig());
        apply(new RaiseAlarm(AlarmType.SERVER_FAILED, "s1", "s1 crashed", T0));
        assertThat(events()).isEmpty();
    }

    @Test
    void aHookFailingEveryAttempt_isGivenUp_andAlarmed_andADeliveryLaterClearsTheAlarm() {
        apply(new ApplyConfig(withHooks(), "test", T0));
        apply(new RaiseAlarm(AlarmType.SERVER_FAILED, "s1", "s1 crashed", T0));
        apply(new RecordHookAttempt(1, "chat", false, "exit 1", T0.plusSeconds(1)));
        assertThat(events().get(0).delivery("chat").status()).isEqualTo(HookFiring.Status.PENDING);
        apply(new RecordHookAttempt(1, "chat", false, "exit 1", T0.plusSeconds(2)));
        assertThat(events().get(0).delivery("chat").status()).isEqualTo(HookFiring.Status.FAILED);
        assertThat(failing().orElseThrow().text())
                .contains("hook chat failed all 2 attempts").contains("alarm-raised event 1").contains("exit 1");
        // A late result of an attempt already settled changes nothing.
        apply(new RecordHookAttempt(1, "chat", true, "exit 0", T0.plusSeconds(3)));
        assertThat(events().get(0).delivery("chat").status()).isEqualTo(HookFiring.Status.FAILED);

        // The hook-failing alarm is itself an alarm-raised event, for chat to take when it works again.
        HookFiring next = events().get(1);
        assertThat(next.variables()).containsEntry("alarm", "hook-failing").containsEntry("subject", "chat");
        apply(new RecordHookAttempt(next.id(), "chat", true, "exit 0", T0.plusSeconds(4)));
        assertThat(failing()).isEmpty();
        List<HookFiring> pending = m.read(ClusterState::pendingHookEvents);
        assertThat(pending).extracting(HookFiring::event).containsExactly(HookEvent.ALARM_CLEARED);
    }

    @Test
    void aDeliveryToAHookRemovedSinceTheEventFired_isDropped_withoutAnAlarm() {
        apply(new ApplyConfig(withHooks(), "test", T0));
        apply(new RaiseAlarm(AlarmType.SERVER_FAILED, "s1", "s1 crashed", T0));
        apply(new ApplyConfig(Fixtures.dataCenter(), "test", T0.plusSeconds(1)));
        apply(new RecordHookAttempt(1, "chat", false, "hook 'chat' is no longer configured", T0.plusSeconds(2)));
        assertThat(events().get(0).delivery("chat").status()).isEqualTo(HookFiring.Status.FAILED);
        assertThat(failing()).isEmpty();
    }

    @Test
    void anAttemptForAnUnknownEventOrHook_isRefused() {
        apply(new ApplyConfig(withHooks(), "test", T0));
        assertThat(apply(new RecordHookAttempt(9, "chat", true, "exit 0", T0)).ok()).isFalse();
        apply(new RaiseAlarm(AlarmType.SERVER_FAILED, "s1", "s1 crashed", T0));
        assertThat(apply(new RecordHookAttempt(1, "pager", true, "exit 0", T0)).message()).contains("no hook event 1 for hook 'pager'");
    }

    @Test
    void hookEvents_surviveASnapshot_andTheirNumbersGoOn() {
        apply(new ApplyConfig(withHooks(), "test", T0));
        apply(new RaiseAlarm(AlarmType.SERVER_FAILED, "s1", "s1 crashed", T0));
        ClusterState.Snapshot s = Json.read(Json.bytes(m.snapshot()), ClusterState.Snapshot.class);
        StateMachine other = new StateMachine();
        other.restore(s);
        other.apply(new RaiseAlarm(AlarmType.SERVER_FAILED, "s2", "s2 crashed", T0), 10);
        List<HookFiring> after = other.read(st -> List.copyOf(st.hookEvents()));
        assertThat(after).extracting(HookFiring::id).containsExactly(1L, 2L);
        assertThat(after.get(0)).isEqualTo(events().get(0));
    }

    /** Log entries and snapshots written before hooks existed must still be read (a node upgraded in place replays them). */
    @Test
    void aSnapshotAndAConfigurationWrittenBeforeHooks_areStillRead() {
        StateMachine before = new StateMachine();
        before.apply(Fixtures.applyConfig(), 0);
        ClusterState.Snapshot now = before.snapshot();
        com.fasterxml.jackson.databind.node.ObjectNode old = Json.MAPPER.valueToTree(now);
        old.remove("hookEvents");
        old.remove("nextHookEvent");
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("config")).remove("hooks");
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("config").get("groups").get(0)).remove("hooks");
        ClusterState.Snapshot read = Json.MAPPER.convertValue(old, ClusterState.Snapshot.class);
        StateMachine restored = new StateMachine();
        restored.restore(read);
        List<HookSpec> global = restored.read(s -> s.config().hooks());
        List<HookSpec> group = restored.read(s -> s.config().groups().get(0).hooks());
        List<HookFiring> queued = restored.read(s -> List.copyOf(s.hookEvents()));
        assertThat(global).isEmpty();
        assertThat(group).isEmpty();
        assertThat(queued).isEmpty();
    }
}

package io.understudy.state;

import io.understudy.testkit.Patience;
import static io.understudy.state.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.FinishStep;
import io.understudy.state.command.RaiseAlarm;
import io.understudy.state.command.StartStep;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StateStore} must do, run against each implementation by a subclass. */
public abstract class StateStoreContract {
    protected StateStore store;

    /** A fresh, empty store; the subclass owns any directory or port it needs. */
    protected abstract StateStore open() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    @Test
    void submit_applyConfig_createsServersAndProfiles() {
        Result r = store.submit(Fixtures.applyConfig());

        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.message()).contains("3 servers, 1 groups, 2 profiles");
        List<String> servers = store.read(s -> s.servers().stream().map(ServerRecord::id).toList());
        ServerState s3 = store.read(s -> s.server("s3").state());
        String webRunsOn = store.read(s -> s.profile("web").server());
        boolean s3IsSpare = store.read(s -> s.config().isSpare("s3"));
        assertThat(servers).containsExactly("s1", "s2", "s3");
        assertThat(s3).isEqualTo(ServerState.UNKNOWN);
        assertThat(webRunsOn).isEqualTo("s1");
        assertThat(s3IsSpare).isTrue();
    }

    @Test
    void submit_jobSteps_recordedInOrder() {
        store.submit(Fixtures.applyConfig());

        Result created = store.submit(new CreateJob(JobType.FAILOVER, "web", "s1", "operator", "s1 is down", T0.plusSeconds(1)));
        assertThat(created.ok()).as(created.message()).isTrue();
        long job = created.job();
        assertThat(store.submit(new StartStep(job, 0, T0.plusSeconds(2))).ok()).isTrue();
        Result finished = store.submit(new FinishStep(job, 0, Step.Status.DONE, "group is free", T0.plusSeconds(3)));
        assertThat(finished.ok()).as(finished.message()).isTrue();
        Result again = store.submit(new StartStep(job, 0, T0.plusSeconds(4)));

        assertThat(again.ok()).as("a finished step never runs again").isFalse();
        Job j = store.read(s -> s.job(job));
        assertThat(j.status()).isEqualTo(Job.Status.RUNNING);
        assertThat(j.steps().get(0).status()).isEqualTo(Step.Status.DONE);
        assertThat(j.steps().get(0).started()).isEqualTo(T0.plusSeconds(2));
        assertThat(j.currentStep()).isEqualTo(1);
        Long webJob = store.read(s -> s.profile("web").activeJob());
        assertThat(webJob).isEqualTo(job);
    }

    @Test
    void submit_raiseAlarm_opensOneAlarmPerSubject() {
        store.submit(Fixtures.applyConfig());

        Result raised = store.submit(new RaiseAlarm(AlarmType.SERVER_FAILED, "s1", "no heartbeat", T0));
        Result updated = store.submit(new RaiseAlarm(AlarmType.SERVER_FAILED, "s1", "BMC says off", T0.plusSeconds(5)));

        assertThat(raised.ok()).isTrue();
        assertThat(updated.message()).contains("updated");
        assertThat(store.read(ClusterState::openAlarms)).singleElement()
                .satisfies(a -> assertThat(a.text()).isEqualTo("BMC says off"))
                .satisfies(a -> assertThat(a.raised()).isEqualTo(T0));
    }

    @Test
    void submit_refusedCommand_changesNothing() {
        store.submit(Fixtures.applyConfig());
        ClusterState.Snapshot before = store.read(ClusterState::snapshot);

        Result r = store.submit(new CreateJob(JobType.FAILOVER, "no-such-profile", "s1", "operator", "test", T0));

        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("unknown profile 'no-such-profile'");
        assertThat(r.job()).isNull();
        assertThat(Fixtures.withoutIndex(store.read(ClusterState::snapshot))).isEqualTo(Fixtures.withoutIndex(before));
    }

    @Test
    void isLeader_aloneInItsGroup_becomesLeaderWithPositiveTerm() {
        Awaitility.await().atMost(Patience.scaled(Duration.ofSeconds(5))).until(store::isLeader);
        assertThat(store.term()).isPositive();
    }
}

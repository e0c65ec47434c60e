package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.AlarmType;
import io.understudy.state.HookFiring;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import io.understudy.state.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: hooks run around a failover, in order, told what happened; a pre-failover hook may veto; failures back off and alarm. */
class HooksTest {
    @TempDir
    Path dir;

    /** A command hook that appends one line (its name and the variables it was given) and its standard input to a log. */
    private HookSpec logging(String name, HookEvent event, String exit) {
        String script = "printf '%s %s job=%s profile=%s source=%s target=%s group=%s status=%s id=%s\\n' \"$0\" \"$UNDERSTUDY_EVENT\""
                + " \"$UNDERSTUDY_JOB\" \"$UNDERSTUDY_PROFILE\" \"$UNDERSTUDY_SOURCE\" \"$UNDERSTUDY_TARGET\" \"$UNDERSTUDY_GROUP\""
                + " \"$UNDERSTUDY_STATUS\" \"$UNDERSTUDY_EVENT_ID\" >> " + log() + "; cat >> " + log() + "; echo >> " + log()
                + "; echo " + name + " says hello; exit " + exit;
        return new HookSpec(name, List.of(event), List.of("/bin/sh", "-c", script, name), null, null, Duration.ofSeconds(20), 3,
                Duration.ofSeconds(10));
    }

    private String log() {
        return dir.resolve("hooks.log").toString();
    }

    private List<String> lines() throws IOException {
        Path p = dir.resolve("hooks.log");
        return Files.exists(p) ? Files.readAllLines(p).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    private SimFixture fixture(HookSpec... hooks) {
        return new SimFixture(DataCenters.withHooks(DataCenters.demo(), hooks), SimTimings.FAST).settled();
    }

    @Test
    void failover_runsPreFailoverBeforeTheFence_andPostFailoverAfter_withTheJobInTheirEnvironmentAndStdin() throws IOException {
        SimFixture f = fixture(logging("post", HookEvent.POST_FAILOVER, "0"), logging("pre", HookEvent.PRE_FAILOVER, "0"));
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofSeconds(30))).isTrue();
        f.run(Duration.ofSeconds(1));

        Job job = f.onlyJob();
        assertThat(job.status()).isEqualTo(Job.Status.SUCCEEDED);
        assertThat(job.steps()).extracting(Step::name).containsExactly("check-group", "identify-source", "select-spare",
                JobType.PRE_FAILOVER_HOOK, "fence", "move-profile", "activate", "verify", "release");
        assertThat(job.steps().get(3).message()).contains("pre exit 0").contains("pre says hello");
        List<String> lines = lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("pre pre-failover job=1 profile=web-1 source=dl-1 target=dl-s1 group=hot status=running id=job-1-pre-failover");
        assertThat(lines.get(1)).startsWith("{").contains("\"event\":\"pre-failover\"").contains("\"profile\":\"web-1\"");
        assertThat(lines.get(2)).isEqualTo("post post-failover job=1 profile=web-1 source=dl-1 target=dl-s1 group=hot status=succeeded id=1");
        assertThat(lines.get(3)).contains("\"event\":\"post-failover\"").contains("\"target\":\"dl-s1\"");
        HookFiring post = f.read(s -> List.copyOf(s.hookEvents())).get(0);
        assertThat(post.delivery("post").status()).isEqualTo(HookFiring.Status.DELIVERED);
        assertThat(post.delivery("post").attempts()).isEqualTo(1);
        assertThat(post.delivery("post").result()).contains("post says hello");
    }

    @Test
    void preFailoverHook_exitingNonZero_vetoesTheFailover_beforeTheFence_withItsOutputAsReason() throws IOException {
        HookSpec veto = new HookSpec("window", List.of(HookEvent.PRE_FAILOVER),
                List.of("/bin/sh", "-c", "echo 'change freeze until 18:00'; exit 3"), null, null, null, null, null);
        SimFixture f = fixture(veto, logging("failed", HookEvent.FAILOVER_FAILED, "0"));
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.jobs().get(0).active(), Duration.ofSeconds(30))).isTrue();
        f.run(Duration.ofSeconds(1));

        Job job = f.jobs().get(0);
        assertThat(job.status()).isEqualTo(Job.Status.FAILED);
        assertThat(job.message()).contains("vetoed by pre-failover hook window").contains("exit 3").contains("change freeze until 18:00");
        assertThat(job.steps().get(job.stepIndex("fence")).status()).isEqualTo(Step.Status.PENDING);
        assertThat(f.stateOf("dl-1")).isNotEqualTo(ServerState.FENCED);
        assertThat(f.sim.view("dl-1").state()).as("never powered off").isNotEqualTo("off");
        assertThat(f.serverOf("web-1")).isEqualTo("dl-1");
        assertThat(f.alarm(AlarmType.FAILOVER_FAILED, "web-1").orElseThrow().text()).contains("change freeze");
        assertThat(lines()).first().asString().startsWith("failed failover-failed job=1 profile=web-1 source=dl-1").contains("status=failed");
    }

    @Test
    void failingHook_isRetriedWithDoublingBackoff_upToItsAttempts_thenAlarmedAsFailing() throws IOException {
        SimFixture f = fixture(logging("flaky", HookEvent.POST_FAILOVER, "1"));   // 3 attempts, 10 s back-off
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofSeconds(30))).isTrue();
        f.run(Duration.ofMinutes(5));

        assertThat(lines().stream().filter(l -> l.startsWith("flaky post-failover"))).hasSize(3);
        HookFiring.Delivery d = f.read(s -> List.copyOf(s.hookEvents())).get(0).delivery("flaky");
        assertThat(d.status()).isEqualTo(HookFiring.Status.FAILED);
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(d.result()).contains("exit 1").contains("flaky says hello");
        assertThat(f.alarm(AlarmType.HOOK_FAILING, "flaky").orElseThrow().text())
                .contains("failed all 3 attempts").contains("post-failover event 1");
    }

    @Test
    void failingHook_waitsItsBackoff_doubledAfterEachFailure() {
        SimFixture f = fixture(logging("flaky", HookEvent.POST_FAILOVER, "1"));
        f.fail("dl-1", Fault.CRASH);
        assertThat(f.runUntil(() -> !f.jobs().isEmpty() && !f.onlyJob().active(), Duration.ofSeconds(30))).isTrue();
        Instant ended = f.onlyJob().ended();
        List<Instant> attempts = new java.util.ArrayList<>();
        for (int i = 0; i < 3000 && attempts.size() < 3; i++) {
            f.run(Duration.ofMillis(100));
            HookFiring.Delivery d = f.read(s -> List.copyOf(s.hookEvents())).get(0).delivery("flaky");
            if (d.attempts() > attempts.size()) attempts.add(d.lastAttempt());
        }
        assertThat(attempts).hasSize(3);
        assertThat(Duration.between(ended, attempts.get(0))).isLessThan(Duration.ofSeconds(1));
        assertThat(Duration.between(attempts.get(0), attempts.get(1))).isBetween(Duration.ofSeconds(10), Duration.ofMillis(10_200));
        assertThat(Duration.between(attempts.get(1), attempts.get(2))).isBetween(Duration.ofSeconds(20), Duration.ofMillis(20_200));
    }
}

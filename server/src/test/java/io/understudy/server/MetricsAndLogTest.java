package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.Job;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every metric the README names, read from /metrics after a real (simulated-hardware) failover; the change log's lines. */
class MetricsAndLogTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    /** Found in the first hour: understudy_jobs_total counted failed jobs only; the success path never reported. */
    @Test
    void jobsTotalCountedOnlyFailedJobs(@TempDir Path dir) throws Exception {
        int raft = io.understudy.testkit.Ports.free();
        Node node = new Node(new Node.Settings(dir, "127.0.0.1", 0, raft, DemoDataCenter.build(), 10, SimTimings.FAST));
        try {
            // Detection needs one failure timeout of its own after a leader starts; then a crash is failed over.
            await().atMost(PATIENCE).until(() -> node.engine().leading()
                    && node.store().read(s -> s.server("dl-1").state()) == io.understudy.model.ServerState.RUNNING);
            node.sim().inject("dl-1", Fault.CRASH);
            await().atMost(PATIENCE).until(() -> node.store().read(s -> s.jobs().stream().anyMatch(j -> !j.active())));
            Job job = node.store().read(s -> s.jobs().iterator().next());
            assertThat(job.status()).as(job.message()).isEqualTo(Job.Status.SUCCEEDED);

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(value(metrics, "understudy_jobs_total\\{[^}]*status=\"succeeded\",type=\"failover\"[^}]*\\}")).isEqualTo(1.0);
            assertThat(value(metrics, "understudy_job_duration_seconds_count\\{[^}]*status=\"succeeded\",type=\"failover\"[^}]*\\}")).isEqualTo(1.0);
            assertThat(value(metrics, "understudy_detection_latency_seconds_count\\{[^}]*\\}")).isGreaterThanOrEqualTo(1.0);
            assertThat(value(metrics, "understudy_jobs_running\\{[^}]*type=\"failover\"[^}]*\\}")).isEqualTo(0.0);
            assertThat(value(metrics, "understudy_alarms_open\\{[^}]*type=\"profile-on-spare\"[^}]*\\}")).isEqualTo(1.0);
            assertThat(value(metrics, "understudy_leader(?:\\{[^}]*\\})?")).isEqualTo(1.0);
            assertThat(value(metrics, "understudy_raft_applied_index(?:\\{[^}]*\\})?")).isPositive();
            assertThat(value(metrics, "understudy_raft_term(?:\\{[^}]*\\})?")).isPositive();
        } finally {
            node.close();
        }
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(scrape);
        if (!m.find()) throw new AssertionError("no series " + series + " in\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    /** Found in the first hour: the server logged nothing after start-up, whatever failed over or alarmed. */
    @Test
    void serverLoggedNothingAfterStartUp() {
        var before = new ChangeLog.Seen(java.util.Map.of(), java.util.Map.of());
        java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
        var steps = List.of(new io.understudy.state.Step("fence", io.understudy.state.Step.Status.DONE, t, t, "dl-1 power off confirmed by BMC (sim) read-back"),
                new io.understudy.state.Step("select-spare", io.understudy.state.Step.Status.RUNNING, t, null, null));
        Job job = new Job(4, io.understudy.state.JobType.FAILOVER, "hot", "web-1", "dl-1", null, Job.Status.RUNNING, steps,
                "automatic event handling", "dl-1 heartbeat lost", t, null, null, null);
        var alarm = new io.understudy.state.Alarm(7, io.understudy.state.AlarmType.SERVER_FAILED, "dl-1", "dl-1 failed", t, null);
        var after = new ChangeLog.Seen(java.util.Map.of(4L, job), java.util.Map.of(7L, alarm));
        assertThat(ChangeLog.lines(before, after)).containsExactly(
                "failover job 4 (web-1) created by automatic event handling: dl-1 heartbeat lost — leaves dl-1",
                "failover job 4 (web-1) step fence done: dl-1 power off confirmed by BMC (sim) read-back",
                "failover job 4 (web-1) step select-spare started",
                "alarm 7 server-failed dl-1 raised: dl-1 failed");
        var cleared = new io.understudy.state.Alarm(7, io.understudy.state.AlarmType.SERVER_FAILED, "dl-1", "dl-1 failed", t, t);
        assertThat(ChangeLog.lines(after, new ChangeLog.Seen(java.util.Map.of(4L, job), java.util.Map.of(7L, cleared))))
                .containsExactly("alarm 7 server-failed dl-1 cleared");
    }
}

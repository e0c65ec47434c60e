package io.understudy.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI against a real demo server process; the server is killed with kill -9 mid-job and restarted. */
class DemoProcessTest {
    @TempDir
    Path tmp;
    UnderstudyProcess u;

    @AfterEach
    void stop() throws Exception {
        if (u != null) u.stop();
    }

    @Test
    void cli_failsServerAndWatchesHotFailover_thenBadInputGetsClearErrors() throws Exception {
        u = new UnderstudyProcess(tmp);
        u.startDemo(20);
        // Wait until the detector has observed the cold spares (they start unknown).
        u.await(n -> streamOf(n).noneMatch(s -> s.get("state").asText().equals("unknown")), Duration.ofSeconds(60), "servers", "-o", "json");

        var fail = u.cli("sim", "fail", "dl-2", "--mode", "crash");
        assertThat(fail.exit()).as(fail.err()).isZero();
        JsonNode jobs = u.await(n -> failovers(n).size() == 1 && failovers(n).get(0).get("status").asText().equals("succeeded"),
                Duration.ofSeconds(60), "jobs", "-o", "json");
        JsonNode failover = failovers(jobs).get(0);
        assertThat(failover.get("profile").asText()).isEqualTo("web-2");
        assertThat(failover.get("startedBy").asText()).isEqualTo("automatic event handling");

        var job = u.cli("job", failover.get("id").asText());
        assertThat(job.exit()).isZero();
        assertThat(job.out()).contains("fence").contains("select-spare").contains("verify");
        var alarms = u.cli("alarms", "-o", "json");
        assertThat(alarms.out()).contains("profile-on-spare").contains("server-failed");

        var twice = u.cli("failover", "--server", "nope-1");
        assertThat(twice.exit()).isNotZero();
        assertThat(twice.err()).contains("no server matches 'nope-1'");
        var badMode = u.cli("sim", "fail", "dl-3", "--mode", "melt");
        assertThat(badMode.exit()).isNotZero();
        assertThat(badMode.err()).contains("mode");
        var cluster = u.cli("cluster", "status");
        assertThat(cluster.exit()).as(cluster.err()).isZero();
        assertThat(cluster.out()).contains("leader n1").contains("NODE");
        var plan = u.cli("plan", "--fail-enclosure", "enc1", "-o", "json");
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.json().get("entries").size()).isGreaterThan(0);

        // The demo's lockstep pair: real members of the example service, paired by a re-pair job, counting visits.
        JsonNode ledger = u.await(n -> streamOf(n).anyMatch(p -> p.get("id").asText().equals("ledger")
                        && p.path("pair").path("state").asText().equals("paired") && p.path("pair").path("seq").asLong() > 0),
                Duration.ofSeconds(60), "profiles", "-o", "json");
        assertThat(streamOf(ledger).filter(p -> p.get("id").asText().equals("ledger")).findFirst().orElseThrow().get("pair").get("twin").asText())
                .isEqualTo("led-b");
        assertThat(streamOf(u.cli("jobs", "-o", "json").json()).filter(j -> j.get("type").asText().equals("re-pair")))
                .anySatisfy(j -> assertThat(j.get("status").asText()).isEqualTo("succeeded"));
    }

    /** The jobs that move a profile: all but the lockstep pair's re-pair jobs. */
    private static java.util.List<JsonNode> failovers(JsonNode jobs) {
        return streamOf(jobs).filter(j -> j.get("type").asText().equals("failover")).toList();
    }

    @Test
    void kill9MidJob_restartResumesTheJob_andFinishesItOnce() throws Exception {
        u = new UnderstudyProcess(tmp);
        // Without the lockstep pair, whose re-pair job would be job 1.
        u.startDemo(20, "--no-lockstep");
        u.await(n -> streamOf(n).noneMatch(s -> s.get("state").asText().equals("unknown")), Duration.ofSeconds(60), "servers", "-o", "json");
        // Hold the job in activate instead of racing a boot (found: on a busy machine the job finished before the
        // kill): the spare's BMC takes power orders and does nothing, so the cold spare waits for its boot. The
        // restarted demo's simulator starts without that fault, and the resumed job powers the spare on.
        var stuck = u.cli("sim", "fail", "bl-s1", "--mode", "stuck-power");
        assertThat(stuck.exit()).as(stuck.err()).isZero();
        var start = u.cli("failover", "--location", "enc1/bay3");
        assertThat(start.exit()).as(start.err()).isZero();
        u.await(n -> n.get("currentStep") != null && n.get("currentStep").asText().equals("activate"), Duration.ofSeconds(60), "job", "1", "-o", "json");
        JsonNode held = u.cli("job", "1", "-o", "json").json();
        assertThat(held.get("currentStep").asText()).as("held in activate").isEqualTo("activate");
        u.kill9();

        u.startDemo(20, "--no-lockstep");
        JsonNode done = u.await(n -> !n.get("status").asText().equals("running"), Duration.ofSeconds(90), "job", "1", "-o", "json");
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        for (JsonNode step : done.get("steps")) assertThat(step.get("status").asText()).isEqualTo("done");
        JsonNode jobs = u.cli("jobs", "-o", "json").json();
        assertThat(jobs.size()).isEqualTo(1);
        JsonNode profiles = u.cli("profiles", "-o", "json").json();
        assertThat(streamOf(profiles).filter(p -> p.get("id").asText().equals("db-3")).findFirst().orElseThrow().get("server").asText())
                .isEqualTo("bl-s1");
    }

    private static java.util.stream.Stream<JsonNode> streamOf(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}

package io.understudy.system.netns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.system.SystemTests;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rest of the real-host scenarios ({@link NetnsDataCenter}): data that follows the profile to the spare and back
 * home, the standby's link cut, an isolated regular server that fences itself, and a split brain forced by bringing
 * an isolated regular server back with the alias.
 */
class DataAndIsolationNetnsTest {
    static final String A = NetnsDataCenter.ALIAS;
    /** Agents fence themselves after 2 s without the control plane; a BMC that cannot fence is given 3 s. */
    static final String ISOLATION = "selfFenceTimeout: 2s, fenceWithoutBmc: true, fenceTimeout: 3s";

    NetnsDataCenter dc;

    @AfterEach
    void close() {
        if (dc != null) dc.close();
    }

    @Test
    void hot_theBackupFollowsTheProfileToTheSpare_andFallbackBringsTheSparesDataHome() throws Exception {
        dc = NetnsDataCenter.create("data", "hot", Duration.ofMillis(200), Duration.ofSeconds(1));
        dc.serviceAtHome();
        for (int i = 0; i < 5; i++) dc.hit();
        assertThat(dc.peek()).isEqualTo("a 5");

        JsonNode backup = dc.post("/api/v1/profiles/web/backup");
        assertThat(backup.path("source").asText()).as(backup.toString()).isEqualTo("a");
        assertThat(SystemTests.stream(backup.path("copiedTo")).map(JsonNode::asText).toList()).containsExactly("b");
        String name = backup.path("backup").path("name").asText();
        assertThat(dc.hostDirs.get("b").resolve("backups").resolve("web").resolve(name + ".tar.gz")).exists();
        dc.hit();
        assertThat(dc.peek()).as("written after the backup: lost with a").isEqualTo("a 6");

        NetnsDataCenter.Trial t = dc.killRegular();
        assertThat(t.job().get("status").asText()).as(t.job().toString()).isEqualTo("succeeded");
        assertThat(dc.job(t.job().get("id").asLong()).toString()).contains("from backup " + name);
        assertThat(dc.peek()).as("the spare starts from the newest backup").isEqualTo("b 5");
        dc.hit();
        dc.hit();
        assertThat(dc.peek()).isEqualTo("b 7");

        dc.repair("a");
        dc.serversWhen(n -> SystemTests.stream(n).anyMatch(s -> s.get("id").asText().equals("a") && s.get("state").asText().equals("running")));
        JsonNode fallback = dc.post("/api/v1/profiles/web/fallback");
        assertThat(fallback.toString()).doesNotContain("error");
        // Newest first: the fallback is the first of two.
        JsonNode jobs = dc.jobsWhen(n -> n.size() == 2 && !n.get(0).get("status").asText().equals("running"));
        JsonNode back = jobs.get(0);
        assertThat(back.get("type").asText()).isEqualTo("fallback");
        assertThat(back.get("status").asText()).as(back.toString()).isEqualTo("succeeded");
        assertThat(dc.job(back.get("id").asLong()).toString()).contains("taken on b and copied to a");
        dc.awaitTrue("the service answers from a again", Duration.ofSeconds(20), () -> dc.who().equals("a"));
        assertThat(dc.peek()).as("home continues from what the spare served").isEqualTo("a 7");
        assertThat(dc.lab.holds("b", A)).isFalse();
        assertThat(dc.counterRuns("b")).as("a hot spare stops the workload when the profile goes home").isFalse();
    }

    @Test
    void hot_theStandbysLinkIsCut_theServiceStaysOnTheRegularServer() throws Exception {
        dc = NetnsDataCenter.create("standby-cut", "hot", Duration.ofMillis(200), Duration.ofSeconds(1));
        dc.serviceAtHome();
        Process probe = dc.startProbe();
        dc.lab.cut("b");
        dc.serversWhen(n -> SystemTests.stream(n).anyMatch(s -> s.get("id").asText().equals("b") && !s.get("state").asText().equals("running")));
        Thread.sleep(3000);
        JsonNode summary = dc.stopProbe(probe);
        assertThat(dc.answeredInTurn()).containsExactly("a");
        assertThat(summary.get("servers").has("b")).isFalse();
        assertThat(dc.jobs().toString()).as("no failover of the profile").doesNotContain("\"profile\":\"web\"");
        assertThat(dc.lab.holds("a", A)).isTrue();
    }

    @Test
    void hot_anIsolatedRegularServerFencesItself_andTheSpareTakesOverWithoutItsBmc() throws Exception {
        dc = NetnsDataCenter.create("self-fence", "hot", Duration.ofMillis(200), Duration.ofSeconds(1), ISOLATION);
        dc.serviceAtHome();
        dc.breakBmcOf("a");
        NetnsDataCenter.Trial t = dc.failRegular(NetnsDataCenter.Failure.LINK_CUT);
        assertThat(t.job().get("status").asText()).as(t.job().toString()).isEqualTo("succeeded");
        assertThat(dc.job(t.job().get("id").asLong()).toString()).contains("self-fenced").contains("twice its self-fence timeout (2000 ms)")
                .contains("a fenced itself; its agent dropped the identity");
        // Cut off from the control plane, a's own agent stopped the counter and dropped the alias; its BMC never did.
        assertThat(dc.bmc.get("a").powered()).isTrue();
        assertThat(dc.lab.holds("a", A)).isFalse();
        assertThat(dc.counterRuns("a")).isFalse();
        assertThat(Files.readString(dc.hostDirs.get("a").resolve("agent.log"))).contains("fencing myself");
        assertThat(dc.answeredInTurn()).containsExactly("a", "b");
    }

    @Test
    void hot_aSplitBrainForcedByBringingAnIsolatedRegularServerBack_theRegularServerGivesTheAliasUp() throws Exception {
        dc = NetnsDataCenter.create("split-brain", "hot", Duration.ofMillis(200), Duration.ofSeconds(1), ISOLATION);
        dc.serviceAtHome();
        dc.breakBmcOf("a");
        // a's agent dies (so nothing on a fences it), then a is cut off: the counter and the alias live on in it.
        dc.killAgent("a");
        NetnsDataCenter.Trial t = dc.failRegular(NetnsDataCenter.Failure.LINK_CUT);
        assertThat(t.job().get("status").asText()).as(t.job().toString()).isEqualTo("succeeded");
        assertThat(dc.lab.holds("a", A)).as("a still holds the alias, unseen").isTrue();

        dc.lab.heal("a");
        dc.startAgent("a");
        dc.awaitTrue("a gives the alias up", Duration.ofSeconds(30), () -> !dc.lab.holds("a", A));
        assertThat(dc.counterRuns("a")).isFalse();
        assertThat(dc.alarms().toString()).contains("split-brain").contains("a gives it up").contains("b keeps serving");
        assertThat(dc.lab.holds("b", A)).isTrue();
        // While both answered ARP the client may have learned a's MAC; b announces again and the client comes back.
        dc.awaitTrue("the client is answered by b", Duration.ofSeconds(10), () -> dc.who().equals("b"));
        assertThat(dc.lab.neighbour("c", A)).contains(dc.lab.mac("b"));
    }
}

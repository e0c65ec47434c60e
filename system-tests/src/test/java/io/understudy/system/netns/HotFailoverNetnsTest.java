package io.understudy.system.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * understudy moves a real service between real hosts ({@link NetnsDataCenter}): the regular server's agent and
 * workload are killed with kill -9; the control plane fences it through IPMI, and the spare takes over the alias
 * (gratuitous ARP moves the client's neighbour entry to the spare's MAC) and serves.
 */
class HotFailoverNetnsTest {
    NetnsDataCenter dc;

    @AfterEach
    void close() {
        if (dc != null) dc.close();
    }

    @Test
    void hot_kill9OfTheRegularServersAgentAndWorkload_spareFencesItTakesTheAliasAndServes() throws Exception {
        dc = NetnsDataCenter.create("hot", "hot", Duration.ofMillis(200), Duration.ofSeconds(1));
        dc.serviceAtHome();
        assertThat(dc.lab.neighbour("c", NetnsDataCenter.ALIAS)).contains(dc.lab.mac("a"));

        NetnsDataCenter.Trial t = dc.killRegular();
        assertThat(t.job().get("status").asText()).as(t.job().toString()).isEqualTo("succeeded");
        assertThat(t.job().get("target").asText()).isEqualTo("b");
        assertThat(t.job().get("reason").asText()).contains("heartbeat lost");
        // The client's neighbour entry moved to the spare's MAC without the client asking: gratuitous ARP.
        assertThat(dc.lab.neighbour("c", NetnsDataCenter.ALIAS)).contains(dc.lab.mac("b"));
        assertThat(dc.bmc.get("a").powered()).as("a was fenced through IPMI before its alias moved").isFalse();
        assertThat(dc.lab.holds("b", NetnsDataCenter.ALIAS)).isTrue();
        // One host answered at a time: a before the gap, b after it (and b still answers: failRegular waited for it).
        assertThat(t.probe().get("server_before").asText()).isEqualTo("a");
        assertThat(t.probe().get("server_after").asText()).isEqualTo("b");
        assertThat(t.probe().get("servers").has("a") && t.probe().get("servers").has("b")).isTrue();
        assertThat(dc.answeredInTurn()).as("never answered by a again once b had").containsExactly("a", "b");
        System.out.printf("hot: client outage %.0f ms; kill -> job %d ms; job -> client served %d ms%n",
                t.outageMs(), t.detectionMs(), t.takeoverMs());
    }

    @Test
    void preloaded_theStandbyAlreadyRunsTheWorkload_takeoverIsFenceAndAlias() throws Exception {
        // CI's timings, loose enough for a loaded 2-core machine; bench/outage.sh measures 100 ms / 500 ms.
        dc = NetnsDataCenter.create("preloaded", "preloaded", Duration.ofMillis(200), Duration.ofSeconds(1));
        dc.serviceAtHome();
        for (int i = 0; i < 3; i++) dc.hit();
        // A backup is copied to the standby, which reloads it: its running counter now reads 3 (restarted on the copy).
        assertThat(dc.post("/api/v1/profiles/web/backup").path("copiedTo").toString()).contains("b");
        dc.awaitTrue("b's counter reloaded the copy", Duration.ofSeconds(20), () -> dc.peek(dc.lab.address("b")).equals("b 3"));

        NetnsDataCenter.Trial t = dc.killRegular();
        assertThat(t.job().get("status").asText()).as(t.job().toString()).isEqualTo("succeeded");
        assertThat(t.job().get("target").asText()).isEqualTo("b");
        assertThat(dc.lab.neighbour("c", NetnsDataCenter.ALIAS)).contains(dc.lab.mac("b"));
        assertThat(dc.bmc.get("a").powered()).isFalse();
        assertThat(t.probe().get("server_after").asText()).isEqualTo("b");
        assertThat(dc.peek()).as("the standby serves the synced data").isEqualTo("b 3");
        assertThat(dc.job(t.job().get("id").asLong()).toString()).contains("data as last synced");
        // No other server was failed over during the run.
        assertThat(dc.jobs().size()).isEqualTo(1);
        System.out.printf("preloaded: client outage %.0f ms; kill -> job %d ms; job -> client served %d ms%n",
                t.outageMs(), t.detectionMs(), t.takeoverMs());
    }

    @Test
    void hot_theRegularServersLinkIsCut_itIsFencedThroughItsBmc_andTheSpareServes() throws Exception {
        dc = NetnsDataCenter.create("link-cut", "hot", Duration.ofMillis(200), Duration.ofSeconds(1));
        dc.serviceAtHome();
        NetnsDataCenter.Trial t = dc.failRegular(NetnsDataCenter.Failure.LINK_CUT);
        assertThat(t.job().get("status").asText()).as(t.job().toString()).isEqualTo("succeeded");
        assertThat(t.job().get("target").asText()).isEqualTo("b");
        // Cut off, a still ran with the alias: only the BMC's power-off makes it safe to move (invariant 2).
        assertThat(dc.bmc.get("a").powered()).isFalse();
        assertThat(dc.lab.holds("a", NetnsDataCenter.ALIAS)).as("a's aliases died with its power").isFalse();
        assertThat(dc.lab.neighbour("c", NetnsDataCenter.ALIAS)).contains(dc.lab.mac("b"));
        assertThat(t.probe().get("server_after").asText()).isEqualTo("b");
        assertThat(dc.answeredInTurn()).containsExactly("a", "b");
    }

    @Test
    void hot_aFenceThatFails_stopsTheJob_raisesFenceFailed_andNothingTakesTheAlias() throws Exception {
        dc = NetnsDataCenter.create("fence-fails", "hot", Duration.ofMillis(200), Duration.ofSeconds(1));
        dc.serviceAtHome();
        dc.breakBmcOf("a");
        Process probe = dc.startProbe();
        dc.lab.killAll("a");
        com.fasterxml.jackson.databind.JsonNode jobs = dc.jobsWhen(n -> n.size() == 1 && !n.get(0).get("status").asText().equals("running"));
        assertThat(jobs.get(0).get("status").asText()).as(jobs.toString()).isEqualTo("failed");
        assertThat(jobs.get(0).get("message").asText()).startsWith("fence:").contains("still reads on");
        assertThat(dc.alarms().toString()).contains("fence-failed");
        // The alias stays where it was: the spare never took it, and no client was answered by b.
        assertThat(dc.lab.holds("b", NetnsDataCenter.ALIAS)).isFalse();
        assertThat(dc.stopProbe(probe).get("servers").has("b")).isFalse();
    }
}

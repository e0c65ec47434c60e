package io.understudy.system.netns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cold failover between real hosts ({@link NetnsDataCenter}): the spare {@code b} waits powered off, with no
 * agent running; its ipmi_sim's power-on brings its link up and starts its agent. understudy fences {@code a}
 * through IPMI, powers {@code b} on, waits for its agent's heartbeat, gives it the identity and starts the workload.
 */
class ColdFailoverNetnsTest {
    NetnsDataCenter dc;

    @AfterEach
    void close() {
        if (dc != null) dc.close();
    }

    /**
     * Issue 11: activate gave the identity to the powered-off spare's agent first, met "connection refused" until
     * bootTimeout and never powered the spare on; the source was fenced and the profile stayed down.
     */
    @Test
    void coldActivationPushedIdentityToAPoweredOffSpare() throws Exception {
        dc = NetnsDataCenter.create("cold", "cold", Duration.ofMillis(200), Duration.ofSeconds(1));
        dc.serviceAtHome();
        assertThat(dc.bmc.get("b").powered()).as("the cold spare waits powered off").isFalse();

        Process probe = dc.startProbe();
        dc.lab.killAll("a");
        JsonNode jobs = dc.jobsWhen(n -> n.size() == 1 && !n.get(0).get("status").asText().equals("running"));
        JsonNode job = dc.job(jobs.get(0).get("id").asLong());
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("target").asText()).isEqualTo("b");
        dc.awaitTrue("the service answers from b", Duration.ofSeconds(30), () -> dc.who().equals("b"));
        JsonNode summary = dc.stopProbe(probe);

        assertThat(dc.bmc.get("a").powered()).as("a was fenced through IPMI").isFalse();
        assertThat(dc.bmc.get("b").powered()).as("b was powered on through IPMI").isTrue();
        assertThat(activate(job)).contains("(cold)").contains("workload started");
        assertThat(dc.lab.holds("b", NetnsDataCenter.ALIAS)).isTrue();
        assertThat(dc.lab.neighbour("c", NetnsDataCenter.ALIAS)).contains(dc.lab.mac("b"));
        assertThat(summary.get("server_after").asText()).isEqualTo("b");
        assertThat(dc.answeredInTurn()).as("never answered by a again once b had").containsExactly("a", "b");
    }

    private static String activate(JsonNode job) {
        for (JsonNode st : job.get("steps")) if (st.get("name").asText().equals("activate")) return st.get("message").asText();
        throw new AssertionError("no activate step in " + job);
    }
}

package io.understudy.system.netns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.system.SystemTests;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lockstep lab (issue 14): a pair on real hosts ({@link NetnsDataCenter} with protection lockstep) — its members
 * are {@code understudy lockstep-member} processes on a (primary) and b (twin), started by the agents as the profile's
 * workload, the arbiter run by the control plane on its host (the profile's {@code pairArbiter}) — and a client ({@link LockstepLoad}) sending with request ids
 * through the alias on 64 connections, while hosts die. What must hold, from the client's side: every acknowledged
 * input is in the survivor's state exactly once, no error is left unretried, and the alias is answered by one member
 * at a time; from the pair's: the members' digests agree once a member is synced back in.
 */
class LockstepNetnsTest {
    private static final int CONNECTIONS = 64;
    /** Acknowledgements to wait for between two steps, so each step happens under load. */
    private static final long STEP = 1_000;

    NetnsDataCenter dc;
    Process load;

    @AfterEach
    void close() throws Exception {
        if (load != null && load.isAlive()) load.destroyForcibly();
        if (dc != null) dc.close();
    }

    private void pairUnderLoad(String name) throws Exception {
        dc = NetnsDataCenter.create(name, "lockstep", Duration.ofMillis(200), Duration.ofSeconds(1));
        dc.serviceAtHome();
        awaitPair("paired");
        load = dc.startLoad(CONNECTIONS);
        moreAcknowledged();
    }

    private void awaitPair(String state) throws Exception {
        dc.awaitPair(state);
    }

    /** Waits (bounded) until the client has had {@link #STEP} more inputs acknowledged, so each step happens under load. */
    private void moreAcknowledged() throws Exception {
        dc.awaitAcknowledged(STEP);
    }

    private static java.util.List<JsonNode> ofType(JsonNode jobs, String type) {
        return SystemTests.stream(jobs).filter(j -> j.get("type").asText().equals(type)).toList();
    }

    private JsonNode failoverJob() throws Exception {
        JsonNode jobs = dc.jobsWhen(n -> !ofType(n, "failover").isEmpty() && ofType(n, "failover").stream().noneMatch(j -> j.get("status").asText().equals("running")));
        assertThat(ofType(jobs, "failover")).as(jobs.toString()).hasSize(1);
        return ofType(jobs, "failover").get(0);
    }

    /** The control plane synced {@code twin} in from {@code primary} by a re-pair job (start-twin, sync-twin), which succeeded. */
    private void rePairedBy(String primary, String twin) throws Exception {
        JsonNode jobs = dc.jobsWhen(n -> ofType(n, "re-pair").stream().anyMatch(j -> j.get("target").asText().equals(twin)
                && j.get("source").asText().equals(primary) && !j.get("status").asText().equals("running")));
        JsonNode last = ofType(jobs, "re-pair").stream().filter(j -> j.get("target").asText().equals(twin)).reduce((x, y) -> y).orElseThrow();
        assertThat(last.get("status").asText()).as(last.toString()).isEqualTo("succeeded");
        assertThat(SystemTests.stream(dc.job(last.get("id").asLong()).get("steps")).map(st -> st.get("name").asText() + " " + st.get("status").asText()))
                .containsExactly("start-twin done", "sync-twin done");
    }

    private JsonNode stopAndCheckTheClient() throws Exception {
        JsonNode sum = dc.stopLoad(load);
        System.out.printf("lockstep lab %s: %d inputs acknowledged in %.1f s (%d/s) on %d connections; longest time without an "
                        + "acknowledgement %d ms; %d attempts retried; alias answered by %s%n", dc.dir.getFileName(), sum.get("acked").asLong(),
                sum.get("seconds").asDouble(), sum.get("rate").asLong(), CONNECTIONS, sum.get("max_gap_ms").asLong(), sum.get("retried").asLong(),
                sum.get("answered"));
        Files.writeString(dc.dir.resolve("load-summary.json"), sum.toString());
        assertThat(sum.get("violations")).as("acknowledged inputs applied twice or lost").isEmpty();
        assertThat(sum.get("mismatches")).as("keys whose state differs from what was acknowledged").isEmpty();
        assertThat(sum.get("acked").asLong()).isGreaterThan(3 * STEP);
        return sum;
    }

    @Test
    void primaryHostKilled_underLoad_theTwinServesEveryAcknowledgedInputOnce_andTheRepairedHomeIsSyncedBackIn() throws Exception {
        pairUnderLoad("lockstep-kill");

        dc.lab.killAll("a");
        JsonNode job = failoverJob();
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("target").asText()).isEqualTo("b");
        assertThat(dc.bmc.get("a").powered()).as("a was fenced through IPMI before its alias moved").isFalse();
        dc.awaitTrue("b answers on the alias", Duration.ofSeconds(30), () -> dc.who().equals("b"));
        moreAcknowledged();

        // The old home is repaired while the client keeps sending: a re-pair job starts its member, which catches up
        // from the pair's leader (its log survived on disk, the inputs since come from the leader).
        dc.repair("a");
        dc.awaitTrue("the control plane starts a's member again", Duration.ofSeconds(60), () -> dc.counterRuns("a"));
        awaitPair("paired");
        rePairedBy("b", "a");
        moreAcknowledged();

        JsonNode sum = stopAndCheckTheClient();
        assertThat(sum.get("answered")).as("one member answered the alias at a time: a, then b").extracting(JsonNode::asText).containsExactly("a", "b");
        dc.awaitTrue("both members hold the same inputs, with the same digest", Duration.ofSeconds(60), () -> {
            String a = dc.memberStatus("a");
            String b = dc.memberStatus("b");
            return field(a, "seq").equals(field(b, "seq")) && field(a, "digest").equals(field(b, "digest"));
        });
        assertThat(field(dc.memberStatus("b"), "divergence")).isEqualTo("none");
    }

    @Test
    void twinKilled_thePrimaryGoesOnAlone_thenThePrimarysLinkIsCut_andTheTwinServes() throws Exception {
        pairUnderLoad("lockstep-cut");

        // kill -9 of the twin's member: the primary goes on (replies wait for the twin at most its twin wait).
        long twin = Long.parseLong(Files.readString(dc.hostDirs.get("b").resolve("counter.pid")).strip());
        ProcessHandle.of(twin).ifPresent(ProcessHandle::destroyForcibly);
        moreAcknowledged();
        // The control plane starts the twin's member again (a re-pair job) and it catches up.
        dc.awaitTrue("the control plane starts b's member again", Duration.ofSeconds(60), () -> dc.counterRuns("b"));
        awaitPair("paired");
        rePairedBy("a", "b");
        moreAcknowledged();

        dc.lab.cut("a");
        JsonNode job = failoverJob();
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("target").asText()).isEqualTo("b");
        assertThat(dc.bmc.get("a").powered()).isFalse();
        dc.awaitTrue("b answers on the alias", Duration.ofSeconds(30), () -> dc.who().equals("b"));
        moreAcknowledged();

        JsonNode sum = stopAndCheckTheClient();
        assertThat(sum.get("answered")).extracting(JsonNode::asText).containsExactly("a", "b");
    }

    /** A field of a member's status line: "ok seq=12 digest=ab … id=a". */
    private static String field(String status, String name) {
        for (String kv : status.split(" ")) if (kv.startsWith(name + "=")) return kv.substring(name.length() + 1);
        return "";
    }
}

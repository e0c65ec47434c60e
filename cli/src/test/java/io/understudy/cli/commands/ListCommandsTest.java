package io.understudy.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.cli.FakeApi;
import io.understudy.cli.TestCli;
import io.understudy.cli.TestCli.Result;
import io.understudy.state.Json;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListCommandsTest {
    static final String SERVERS = "[{'id':'bl-1','location':'enc1/bay1','hostname':'web1','address':'10.0.0.1','model':'BL460c',"
            + "'generation':'G9','cores':16,'memoryGib':128,'group':'g1','role':'regular','state':'running','reason':null,"
            + "'profile':'web-1','reservedBy':null},"
            + "{'id':'bl-7','location':'enc1/bay7','model':'BL460c','group':'g1','role':'spare','state':'off','reason':'waiting',"
            + "'profile':null}]";

    final FakeApi api = FakeApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void servers_text_printsAlignedTable() {
        api.on("GET", "/api/v1/servers", 200, SERVERS);

        Result r = TestCli.run(api.args("servers"));

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("ID").contains("LOCATION", "GROUP", "ROLE", "STATE", "PROFILE", "MODEL", "SIMULATED", "REASON");
        assertThat(lines.get(1).split("\\s+")).containsExactly("bl-1", "enc1/bay1", "g1", "regular", "running", "web-1", "BL460c", "-", "-");
        assertThat(lines.get(2).split("\\s+")).containsExactly("bl-7", "enc1/bay7", "g1", "spare", "off", "-", "BL460c", "-", "waiting");
        // aligned: every column starts at the same offset as its header
        assertThat(lines.get(1).indexOf("enc1/bay1")).isEqualTo(lines.get(0).indexOf("LOCATION"));
        assertThat(lines.get(2).indexOf("waiting")).isEqualTo(lines.get(0).indexOf("REASON"));
    }

    /** Issue 11: nothing told the operator that the simulator played a real server's agent. */
    @Test
    void simulatorStandInWasInvisible_serversView_showsWhatTheSimulatorPlays() throws Exception {
        String servers = "[{'id':'bl-1','location':'enc1/bay1','model':'BL460c','group':'g1','role':'regular','state':'running',"
                + "'profile':'web-1','simulated':['bmc','agent']},"
                + "{'id':'r1','location':'enc2/bay1','model':'R650','group':'g2','role':'regular','state':'running',"
                + "'profile':'db-1','simulated':['agent']},"
                + "{'id':'r2','location':'enc2/bay2','model':'R650','group':'g2','role':'spare','state':'off','simulated':[]}]";
        api.on("GET", "/api/v1/servers", 200, servers);

        Result r = TestCli.run(api.args("servers"));

        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        int col = lines.get(0).indexOf("SIMULATED");
        assertThat(col).isPositive();
        assertThat(lines.get(1).substring(col).split("\\s+")[0]).isEqualTo("bmc,agent");
        assertThat(lines.get(2).substring(col).split("\\s+")[0]).isEqualTo("agent(lab)");
        assertThat(lines.get(3).substring(col).split("\\s+")[0]).isEqualTo("-");
        assertThat(lines.get(4)).isEqualTo("lab: the simulator stands in for the agent of r1 (--simulate-missing-agents): a crash of it is never seen");

        Result json = TestCli.run(api.args("servers", "-o", "json"));
        assertThat(Json.MAPPER.readTree(json.out()).get(1).get("simulated")).extracting(JsonNode::asText).containsExactly("agent");
    }

    @Test
    void servers_request_sendsBearerToken() {
        api.on("GET", "/api/v1/servers", 200, "[]");

        Result r = TestCli.run(api.args("servers"));

        assertThat(r.out()).contains("no servers");
        assertThat(api.requests("GET", "/api/v1/servers")).singleElement()
                .satisfies(q -> assertThat(q.authorization()).isEqualTo("Bearer " + FakeApi.TOKEN));
    }

    @Test
    void servers_jsonOutput_printsApiAnswerPrettyPrinted() throws Exception {
        api.on("GET", "/api/v1/servers", 200, SERVERS);

        Result r = TestCli.run(api.args("servers", "-o", "json"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\n  {").contains("\"location\" : \"enc1/bay1\"");
        JsonNode printed = Json.MAPPER.readTree(r.out());
        assertThat(printed).isEqualTo(Json.MAPPER.readTree(SERVERS.replace('\'', '"')));
    }

    @Test
    void groups_text_showsLevelEventsSparesAndCapacity() {
        api.on("GET", "/api/v1/groups", 200, "[{'id':'g1','policy':{'protection':'hot','eventHandling':'auto-failover'},"
                + "'servers':['bl-1','bl-2'],'spares':['bl-7','bl-8'],'freeSpares':['bl-8'],'maintenance':false,"
                + "'capacity':{'sufficient':true,'reason':null}},"
                + "{'id':'g2','policy':{'protection':'cold','eventHandling':'alert-only'},'servers':[],'spares':['bl-9'],'freeSpares':[],"
                + "'maintenance':true,'capacity':{'sufficient':false,'reason':'0 free spares for 1 anticipated failure'}}]");

        Result r = TestCli.run(api.args("groups"));

        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0).split("\\s+")).containsExactly("ID", "LEVEL", "EVENTS", "SPARES", "MAINT", "CAPACITY");
        assertThat(lines.get(1).split("\\s+")).containsExactly("g1", "hot", "auto-failover", "1/2", "no", "ok");
        assertThat(lines.get(2)).startsWith("g2").contains("cold", "alert-only", "0/1", "yes", "short: 0 free spares for 1 anticipated failure");
    }

    @Test
    void profiles_text_showsLockAndRunningJob() {
        api.on("GET", "/api/v1/profiles", 200, "[{'id':'web-1','group':'g1','home':'bl-1','server':'bl-7','priority':1,"
                + "'fallback':'manual','protection':'cold','lockedTo':'bl-7','activeJob':4,'identity':{},'note':null}]");

        Result r = TestCli.run(api.args("profiles"));

        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0).split("\\s+")).containsExactly("ID", "GROUP", "HOME", "SERVER", "PRIORITY", "FALLBACK", "LOCK", "JOB");
        assertThat(lines.get(1).split("\\s+")).containsExactly("web-1", "g1", "bl-1", "bl-7", "1", "manual", "bl-7", "4");
    }

    @Test
    void profiles_text_withALockstepPair_showsPrimaryTwinStateAndLag() {
        api.on("GET", "/api/v1/profiles", 200, "[{'id':'kv-1','group':'pair','home':'dl-1','server':'dl-s1','priority':1,"
                + "'fallback':'manual','protection':'lockstep','lockedTo':null,'activeJob':null,'identity':{},'note':null,"
                + "'pair':{'primary':'dl-s1','twin':'dl-1','state':'degraded','seq':120344,'twinSeq':null,'lag':null,'why':'twin dl-1 is fenced'}}]");

        Result r = TestCli.run(api.args("profiles"));

        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(3).split("\\s+")).containsExactly("PAIR", "PRIMARY", "TWIN", "STATE", "SEQ", "LAG", "WHY");
        assertThat(lines.get(4)).startsWith("kv-1").contains("dl-s1", "dl-1", "degraded", "120344", "twin dl-1 is fenced");
    }

    @Test
    void jobs_text_showsStatusAndCurrentStep() {
        api.on("GET", "/api/v1/jobs", 200, "[{'id':5,'type':'failover','group':'g1','profile':'web-1','source':'bl-1','target':'bl-7',"
                + "'status':'running','startedBy':'admin','created':'2025-03-01T10:00:00Z','ended':null,'message':null,'currentStep':'fence'},"
                + "{'id':4,'type':'fallback','profile':'db-1','source':'bl-8','target':'bl-2','status':'succeeded','currentStep':null,"
                + "'created':'2025-03-01T09:00:00Z','message':'db-1 back home'}]");

        Result r = TestCli.run(api.args("jobs"));

        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("5").contains("failover", "web-1", "running", "fence");
        assertThat(lines.get(2)).startsWith("4").contains("fallback", "succeeded", "db-1 back home");
    }

    @Test
    void job_text_showsStepsWithStatusDurationAndMessage() {
        api.on("GET", "/api/v1/jobs/5", 200, "{'id':5,'type':'failover','group':'g1','profile':'web-1','source':'bl-1','target':'bl-7',"
                + "'status':'running','startedBy':'admin','reason':'operator','created':'2025-03-01T10:00:00Z','steps':["
                + "{'name':'fence','status':'done','started':'2025-03-01T10:00:00Z','ended':'2025-03-01T10:00:01.500Z','message':'power off confirmed'},"
                + "{'name':'move-identity','status':'running','started':'2025-03-01T10:00:01.500Z','ended':null,'message':'moving MAC'},"
                + "{'name':'verify','status':'pending'}]}");

        Result r = TestCli.run(api.args("job", "5"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("job 5  failover  running").contains("profile", "web-1", "by admin (operator)");
        assertThat(r.out().lines().filter(l -> l.trim().startsWith("fence"))).singleElement()
                .satisfies(l -> assertThat(l.split("\\s+")).containsSequence("fence", "done", "1.5s", "power", "off", "confirmed"));
        assertThat(r.out()).containsPattern("move-identity\\s+running\\s+-\\s+moving MAC").containsPattern("verify\\s+pending");
    }

    @Test
    void alarms_all_asksForClearedAlarmsToo() {
        api.on("GET", "/api/v1/alarms", 200, "[{'id':1,'type':'fence-failed','subject':'bl-3','text':'BMC did not answer',"
                + "'raised':'2025-03-01T10:00:00Z','cleared':'2025-03-01T11:00:00Z'}]");

        Result r = TestCli.run(api.args("alarms", "--all"));

        assertThat(api.requests("GET", "/api/v1/alarms")).singleElement().satisfies(q -> assertThat(q.query()).isEqualTo("all=true"));
        assertThat(r.out().lines().findFirst().orElseThrow().split("\\s+")).containsExactly("ID", "TYPE", "SUBJECT", "RAISED", "CLEARED", "TEXT");
        assertThat(r.out()).contains("fence-failed", "BMC did not answer");
    }

    @Test
    void alarms_none_saysSo() {
        api.on("GET", "/api/v1/alarms", 200, "[]");

        Result r = TestCli.run(api.args("alarms"));

        assertThat(api.requests().get(0).query()).isNull();
        assertThat(r.out()).isEqualTo("no open alarms" + System.lineSeparator());
    }

    @Test
    void plan_failures_printsFromToAndStaysDown() throws Exception {
        api.on("POST", "/api/v1/plan", 200, "{'failing':['bl-1','bl-2'],'entries':["
                + "{'profile':'web-1','from':'bl-1','to':'bl-7','reason':'free spare, same model'},"
                + "{'profile':'db-1','from':'bl-2','to':null,'reason':'no qualified spare left'}]}");

        Result r = TestCli.run(api.args("plan", "--fail", "enc1/bay1,bl-2", "--fail-enclosure", "enc2"));

        assertThat(r.code()).isZero();
        JsonNode sent = Json.MAPPER.readTree(api.requests("POST", "/api/v1/plan").get(0).body());
        assertThat(sent).isEqualTo(Json.MAPPER.readTree("{\"fail\":[\"enc1/bay1\",\"bl-2\"],\"failEnclosure\":[\"enc2\"]}"));
        assertThat(r.out()).contains("failing: bl-1, bl-2")
                .containsPattern("web-1\\s+bl-1\\s+->\\s+bl-7\\s+-\\s+free spare, same model")
                .containsPattern("db-1\\s+bl-2\\s+->\\s+stays down\\s+-\\s+no qualified spare left");
    }

    @Test
    void plan_withABootOrder_printsTheWaveEachStartsIn_andWhatItStartsAfter() throws Exception {
        api.on("POST", "/api/v1/plan", 200, "{'failing':['bl-1','bl-2','bl-3'],'entries':["
                + "{'profile':'db','from':'bl-2','to':'bl-8','reason':'free spare','wave':1,'waitsFor':[]},"
                + "{'profile':'app','from':'bl-1','to':'bl-7','reason':'free spare','wave':2,'waitsFor':['db']},"
                + "{'profile':'web','from':'bl-3','to':'bl-9','reason':'free spare; would wait','wave':null,'waitsFor':['cache','app']},"
                + "{'profile':'cache','from':'bl-4','to':null,'reason':'no qualified spare left','wave':null,'waitsFor':[]}]}");

        Result r = TestCli.run(api.args("plan", "--fail-enclosure", "enc1"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("START\\s+PROFILE\\s+FROM\\s+TO\\s+AFTER\\s+REASON")
                .containsPattern("1\\s+db\\s+bl-2\\s+->\\s+bl-8\\s+-\\s+free spare")
                .containsPattern("2\\s+app\\s+bl-1\\s+->\\s+bl-7\\s+db\\s+free spare")
                .containsPattern("waits\\s+web\\s+bl-3\\s+->\\s+bl-9\\s+cache, app\\s+free spare; would wait")
                .containsPattern("-\\s+cache\\s+bl-4\\s+->\\s+stays down");
    }

    @Test
    void plan_drain_printsEachMoveAndWhatHasNowhereToGo() throws Exception {
        api.on("POST", "/api/v1/plan", 200, "{'servers':['bl-1','bl-2'],'moves':["
                + "{'profile':'web-1','from':'bl-1','to':'bl-7','why':null},"
                + "{'profile':'db-1','from':'bl-2','to':null,'why':'no qualified spare left'}],'nowhere':{'db-1':'no qualified spare left'}}");

        Result r = TestCli.run(api.args("plan", "--drain", "enc1"));

        assertThat(r.code()).isZero();
        JsonNode sent = Json.MAPPER.readTree(api.requests("POST", "/api/v1/plan").get(0).body());
        assertThat(sent).isEqualTo(Json.MAPPER.readTree("{\"drain\":[\"enc1\"]}"));
        assertThat(r.out()).contains("draining: bl-1, bl-2")
                .containsPattern("web-1\\s+bl-1\\s+->\\s+bl-7\\s+planned move")
                .containsPattern("db-1\\s+bl-2\\s+->\\s+nowhere\\s+no qualified spare left")
                .contains("would refuse (1 profile(s) with nowhere to go) unless --force");
    }

    @Test
    void plan_drainAndFailTogether_isUsageError() {
        Result r = TestCli.run(api.args("plan", "--drain", "enc1", "--fail", "bl-1"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--drain");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void plan_nothingToFail_isUsageError() {
        Result r = TestCli.run(api.args("plan"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--fail");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void decisions_text_printsSubjectAndText() {
        api.on("GET", "/api/v1/decisions", 200, "[{'at':'2025-03-01T10:00:00Z','subject':'web-1','text':'failover job 4 started: bl-1 heartbeat lost'}]");

        Result r = TestCli.run(api.args("decisions"));

        assertThat(r.out()).containsPattern("web-1\\s+failover job 4 started: bl-1 heartbeat lost");
    }

    @Test
    void simServers_text_showsFaultsAndWorkload() {
        api.on("GET", "/api/v1/sim/servers", 200, "[{'id':'bl-1','state':'off','faults':['crash','bmc-down'],'identity':'web-1','workloadRunning':false}]");

        Result r = TestCli.run(api.args("sim", "servers"));

        assertThat(r.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")).containsExactly("bl-1", "off", "crash,bmc-down", "web-1", "stopped");
    }
}

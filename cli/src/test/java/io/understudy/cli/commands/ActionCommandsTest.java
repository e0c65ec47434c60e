package io.understudy.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.cli.FakeApi;
import io.understudy.cli.TestCli;
import io.understudy.cli.TestCli.Result;
import io.understudy.state.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActionCommandsTest {
    static final String T0 = "2025-03-01T10:00:00Z";

    final FakeApi api = FakeApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    static String job(String status, String steps) {
        return "{'id':7,'type':'failover','profile':'web-1','source':'bl-1','target':'bl-7','status':'" + status + "','created':'" + T0 + "',"
                + "'ended':" + (status.equals("running") ? "null" : "'2025-03-01T10:00:12Z'") + ",'message':'" + status + " message','steps':[" + steps + "]}";
    }

    static String step(String name, String status, String ended, String message) {
        return "{'name':'" + name + "','status':'" + status + "','started':" + (status.equals("pending") ? "null" : "'" + T0 + "'")
                + ",'ended':" + (ended == null ? "null" : "'" + ended + "'") + ",'message':" + (message == null ? "null" : "'" + message + "'") + "}";
    }

    @Test
    void failover_byServer_printsJobStartedAndPostsSelector() throws Exception {
        api.on("POST", "/api/v1/failover", 202, "{'job':7,'message':'web-1 leaves bl-1'}");

        Result r = TestCli.run(api.args("failover", "--server", "bl-1"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("failover job 7 started: web-1 leaves bl-1" + System.lineSeparator());
        FakeApi.Request q = api.requests("POST", "/api/v1/failover").get(0);
        assertThat(q.contentType()).isEqualTo("application/json");
        assertThat(Json.MAPPER.readTree(q.body())).isEqualTo(Json.MAPPER.readTree("{\"server\":\"bl-1\"}"));
    }

    @Test
    void move_toAServer_postsTo_andPrintsTheJob() throws Exception {
        api.on("POST", "/api/v1/profiles/web-1/move", 202, "{'job':9,'message':'profile web-1 moves from dl-1 to dl-s2 (dl-s2 reserved)'}");

        Result r = TestCli.run(api.args("move", "web-1", "--to", "dl-s2"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("move job 9 started: profile web-1 moves from dl-1 to dl-s2 (dl-s2 reserved)" + System.lineSeparator());
        assertThat(Json.MAPPER.readTree(api.requests().get(0).body())).isEqualTo(Json.MAPPER.readTree("{\"to\":\"dl-s2\"}"));
    }

    @Test
    void rePair_postsToTheProfile_andPrintsTheJob_refusalExitsNonZeroWithTheReason() {
        api.on("POST", "/api/v1/profiles/kv-1/re-pair", 202, "{'job':11,'message':'lockstep pair of kv-1: twin b is started and synced in from the primary a (b reserved)'}");

        Result r = TestCli.run(api.args("re-pair", "kv-1"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("re-pair job 11 started: lockstep pair of kv-1: twin b is started and synced in from the primary a (b reserved)"
                + System.lineSeparator());

        api.on("POST", "/api/v1/profiles/web-1/re-pair", 409, "{'error':'profile web-1 is not lockstep; only a lockstep pair is re-paired','field':'profile'}");
        Result refused = TestCli.run(api.args("re-pair", "web-1"));
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("profile web-1 is not lockstep");
    }

    @Test
    void drain_postsTheNamesAndForce_andPrintsEachMove() throws Exception {
        api.on("POST", "/api/v1/drain", 202, "{'ok':true,'message':'drained dl-2; 1 move(s) started','servers':['dl-2'],"
                + "'moves':[{'profile':'web-2','job':5,'from':'dl-2','to':'dl-s1'}],'left':{}}");

        Result r = TestCli.run(api.args("drain", "dl-2", "--force"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("drained dl-2; 1 move(s) started").contains("web-2: dl-2 -> dl-s1 (move job 5)");
        assertThat(Json.MAPPER.readTree(api.requests().get(0).body()))
                .isEqualTo(Json.MAPPER.readTree("{\"force\":true,\"servers\":[\"dl-2\"]}"));
    }

    @Test
    void drain_refused_exitsNonZeroWithTheReason() {
        api.on("POST", "/api/v1/drain", 409, "{'error':'drain refused, nothing changed: 1 profile(s) would have nowhere to go (web-3: no spare)','field':'servers'}");

        Result r = TestCli.run(api.args("undrain", "enc2"));
        assertThat(r.code()).isNotZero();

        Result d = TestCli.run(api.args("drain", "enc2"));
        assertThat(d.code()).isNotZero();
        assertThat(d.err()).contains("would have nowhere to go (web-3: no spare)");
    }

    @Test
    void move_toSpare_postsToSpare() throws Exception {
        api.on("POST", "/api/v1/profiles/web-1/move", 202, "{'job':9,'message':'ok'}");

        Result r = TestCli.run(api.args("move", "web-1", "--to-spare", "-o", "json"));

        assertThat(r.code()).isZero();
        assertThat(Json.MAPPER.readTree(r.out()).get("job").asLong()).isEqualTo(9);
        assertThat(Json.MAPPER.readTree(api.requests().get(0).body())).isEqualTo(Json.MAPPER.readTree("{\"toSpare\":true}"));
    }

    @Test
    void move_refused_printsTheReasonAndExitsNonZero() {
        api.on("POST", "/api/v1/profiles/web-1/move", 409, "{'error':'dl-2 cannot take web-1: it runs profile web-2','field':'to'}");

        Result r = TestCli.run(api.args("move", "web-1", "--to", "dl-2"));

        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("dl-2 cannot take web-1: it runs profile web-2");
    }

    @Test
    void move_withoutATarget_isAUsageErrorWithoutRequest() {
        Result r = TestCli.run(api.args("move", "web-1"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required argument").contains("--to");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void failover_byLocation_postsLocation() throws Exception {
        api.on("POST", "/api/v1/failover", 202, "{'job':8,'message':'ok'}");

        Result r = TestCli.run(api.args("failover", "--location", "enc1/bay3"));

        assertThat(r.code()).isZero();
        assertThat(Json.MAPPER.readTree(api.requests().get(0).body())).isEqualTo(Json.MAPPER.readTree("{\"location\":\"enc1/bay3\"}"));
    }

    @Test
    void failover_twoSelectors_isUsageErrorWithoutRequest() {
        Result r = TestCli.run(api.args("failover", "--server", "bl-1", "--host", "web1"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive").contains("--server").contains("--host");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void failover_noSelector_isUsageError() {
        Result r = TestCli.run(api.args("failover"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required argument");
    }

    @Test
    void failover_wait_printsEachStepAsItChangesUntilSucceeded() {
        api.on("POST", "/api/v1/failover", 202, "{'job':7,'message':'web-1 leaves bl-1'}");
        api.on("GET", "/api/v1/jobs/7", 200, job("running", step("fence", "running", null, "powering off") + "," + step("boot", "pending", null, null)));
        api.on("GET", "/api/v1/jobs/7", 200, job("running", step("fence", "running", null, "still powering off") + "," + step("boot", "pending", null, null)));
        api.on("GET", "/api/v1/jobs/7", 200, job("running", step("fence", "done", "2025-03-01T10:00:01.500Z", "power off confirmed") + ","
                + step("boot", "running", null, "booting bl-7")));
        api.on("GET", "/api/v1/jobs/7", 200, job("succeeded", step("fence", "done", "2025-03-01T10:00:01.500Z", "power off confirmed") + ","
                + step("boot", "done", "2025-03-01T10:00:12Z", "bl-7 up")));

        Result r = TestCli.run(api.args("failover", "--server", "bl-1", "--wait", "--poll-interval", "1ms"));

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().toList()).containsExactly(
                "failover job 7 started: web-1 leaves bl-1",
                "  fence            running           powering off",
                "  fence            done        1.5s  power off confirmed",
                "  boot             running           booting bl-7",
                "  boot             done       12.0s  bl-7 up",
                "job 7 succeeded in 12.0s: succeeded message");
        assertThat(api.requests("GET", "/api/v1/jobs/7")).hasSize(4);
    }

    @Test
    void failover_waitJobFails_exits1WithErrorLine() {
        api.on("POST", "/api/v1/failover", 202, "{'job':7,'message':'started'}");
        api.on("GET", "/api/v1/jobs/7", 200, job("failed", step("fence", "failed", "2025-03-01T10:00:05Z", "BMC did not confirm power off")));

        Result r = TestCli.run(api.args("failover", "--ip", "10.0.0.1", "--wait", "--poll-interval", "1ms"));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("fence            failed      5.0s  BMC did not confirm power off");
        assertThat(r.err()).isEqualTo("error: job 7 failed in 12.0s: failed message" + System.lineSeparator());
    }

    @Test
    void failover_waitPastTimeout_exits1SayingHowToFollow() {
        api.on("POST", "/api/v1/failover", 202, "{'job':7,'message':'started'}");
        api.on("GET", "/api/v1/jobs/7", 200, job("running", step("boot", "running", null, "booting")));

        Result r = TestCli.run(api.args("failover", "--host", "web1", "--wait", "--timeout", "30ms", "--poll-interval", "5ms"));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("job 7 still running after 30ms", "understudy job 7 --watch");
    }

    @Test
    void failover_refusedWith409_exits1WithApiError() {
        api.on("POST", "/api/v1/failover", 409, "{'error':'profile web-1 already has job 4 running'}");

        Result r = TestCli.run(api.args("failover", "--server", "bl-1"));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("error: profile web-1 already has job 4 running" + System.lineSeparator());
    }

    @Test
    void failover_badInput400_exits2NamingField() {
        api.on("POST", "/api/v1/failover", 400, "{'error':'expected ENC/BAY','field':'location'}");

        Result r = TestCli.run(api.args("failover", "--location", "enc1"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: expected ENC/BAY (field: location)" + System.lineSeparator());
    }

    @Test
    void servers_badToken_exits3() {
        Result r = TestCli.run("servers", "--url", api.url(), "--token", "wrong");

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("error: missing or bad token" + System.lineSeparator());
    }

    @Test
    void maintenance_forbidden403_exits3() {
        api.on("POST", "/api/v1/groups/g1/maintenance", 403, "{'error':'role viewer may not do this; admin needed'}");

        Result r = TestCli.run(api.args("maintenance", "g1", "on"));

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("admin needed");
    }

    @Test
    void servers_unreachable_exits3NamingUrl() {
        String dead = FakeApi.deadUrl();

        Result r = TestCli.run("servers", "--url", dead, "--token", "t");

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("error: cannot reach understudy at " + dead + ": connection refused" + System.lineSeparator());
    }

    @Test
    void maintenance_maybe_exits2NamingArgument() {
        Result r = TestCli.run(api.args("maintenance", "g1", "maybe"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'maybe'", "on|off");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void maintenance_maybeWithRegisteredHandler_printsOneErrorLine() {
        Result r = TestCli.runRegistered(api.args("maintenance", "g1", "maybe"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsExactly(
                "error: maintenance: invalid value 'maybe' for on|off: expected on or off", "see 'understudy maintenance --help'");
    }

    @Test
    void maintenance_off_postsFalseAndPrintsMessage() throws Exception {
        api.on("POST", "/api/v1/groups/g1/maintenance", 200, "{'message':'group g1 out of maintenance'}");

        Result r = TestCli.run(api.args("maintenance", "g1", "off"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("group g1 out of maintenance" + System.lineSeparator());
        assertThat(Json.MAPPER.readTree(api.requests().get(0).body())).isEqualTo(Json.MAPPER.readTree("{\"on\":false}"));
    }

    @Test
    void lockAndUnlock_postToProfile() throws Exception {
        api.on("POST", "/api/v1/profiles/web-1/lock", 200, "{'message':'web-1 locked to bl-7'}");
        api.on("POST", "/api/v1/profiles/web-1/unlock", 200, "{'message':'web-1 unlocked'}");

        Result locked = TestCli.run(api.args("lock", "web-1", "--to", "bl-7"));
        Result unlocked = TestCli.run(api.args("unlock", "web-1", "-o", "json"));

        assertThat(locked.out()).isEqualTo("web-1 locked to bl-7" + System.lineSeparator());
        assertThat(Json.MAPPER.readTree(api.requests().get(0).body())).isEqualTo(Json.MAPPER.readTree("{\"server\":\"bl-7\"}"));
        assertThat(Json.MAPPER.readTree(unlocked.out()).get("message").asText()).isEqualTo("web-1 unlocked");
    }

    @Test
    void fallback_wait_followsJobAndExits0() {
        api.on("POST", "/api/v1/profiles/web-1/fallback", 202, "{'job':7,'message':'web-1 goes home to bl-1'}");
        api.on("GET", "/api/v1/jobs/7", 200, job("succeeded", step("release", "done", "2025-03-01T10:00:00.200Z", "bl-7 released")));

        Result r = TestCli.run(api.args("fallback", "web-1", "--wait", "--poll-interval", "1ms"));

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("fallback job 7 started: web-1 goes home to bl-1").contains("release", "0.2s", "job 7 succeeded");
    }

    @Test
    void jobWatch_failedJob_exits1() {
        api.on("GET", "/api/v1/jobs/7", 200, job("running", step("fence", "running", null, "off?")));
        api.on("GET", "/api/v1/jobs/7", 200, job("failed", step("fence", "failed", "2025-03-01T10:00:02Z", "no power-off")));

        Result r = TestCli.run(api.args("job", "7", "--watch", "--poll-interval", "1ms"));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("job 7  failover  running", "fence            running", "fence            failed");
        assertThat(r.err()).startsWith("error: job 7 failed");
    }
}

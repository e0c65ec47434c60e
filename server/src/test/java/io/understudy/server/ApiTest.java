package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The REST API on a real node (Raft, simulator, Javalin): roles, bad input, refusals, each a JSON error. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
    Node node;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        int raft = io.understudy.testkit.Ports.free();
        node = new Node(new Node.Settings(dir, "127.0.0.1", 0, raft, DemoDataCenter.build(), 1, SimTimings.FAST));
    }

    @AfterAll
    void stop() {
        node.close();
    }

    record Answer(int status, JsonNode body, String text) {}

    Answer call(String method, String path, Tokens.Role role, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path));
        if (role != null) b.header("Authorization", "Bearer " + node.tokens().first(role).token());
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = Json.MAPPER.readTree(r.body());
        } catch (Exception notJson) {
            // /metrics is text
        }
        return new Answer(r.statusCode(), json, r.body());
    }

    @Test
    void read_withoutToken_is401WithJsonError() throws Exception {
        Answer a = call("GET", "/api/v1/servers", null, null);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body().get("error").asText()).contains("missing bearer token");
    }

    @Test
    void failover_asViewer_is403() throws Exception {
        Answer a = call("POST", "/api/v1/failover", Tokens.Role.VIEWER, "{\"server\":\"dl-1\"}");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body().get("error").asText()).contains("needs admin");
    }

    @Test
    void failover_withoutSelector_is400NamingTheField() throws Exception {
        Answer a = call("POST", "/api/v1/failover", Tokens.Role.ADMIN, "{}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().get("field").asText()).isEqualTo("server");
        Answer notJson = call("POST", "/api/v1/failover", Tokens.Role.ADMIN, "server=dl-1");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body().get("field").asText()).isEqualTo("body");
    }

    @Test
    void failover_unknownServer_is404_andSecondForSameProfile_is409() throws Exception {
        assertThat(call("POST", "/api/v1/failover", Tokens.Role.ADMIN, "{\"host\":\"nope\"}").status()).isEqualTo(404);
        Answer first = call("POST", "/api/v1/failover", Tokens.Role.ADMIN, "{\"location\":\"enc2/bay6\"}");
        assertThat(first.status()).as(first.text()).isEqualTo(202);
        long job = first.body().get("job").asLong();
        Answer second = call("POST", "/api/v1/failover", Tokens.Role.ADMIN, "{\"ip\":\"198.18.2.16\"}");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body().get("error").asText()).isEqualTo("profile web-6 already has job " + job + " running");
        Answer one = call("GET", "/api/v1/jobs/" + job, Tokens.Role.VIEWER, null);
        assertThat(one.body().get("startedBy").asText()).isEqualTo("admin token 'admin'");
        assertThat(one.body().get("steps").size()).isEqualTo(8);
    }

    @Test
    void move_badInput_is400NamingTheField_aRefusal_is409NamingTheTarget_andNothingIsStarted() throws Exception {
        int jobsBefore = call("GET", "/api/v1/jobs", Tokens.Role.VIEWER, null).body().size();
        Answer neither = call("POST", "/api/v1/profiles/web-1/move", Tokens.Role.ADMIN, "{}");
        assertThat(neither.status()).isEqualTo(400);
        assertThat(neither.body().get("field").asText()).isEqualTo("to");
        Answer both = call("POST", "/api/v1/profiles/web-1/move", Tokens.Role.ADMIN, "{\"to\":\"dl-s1\",\"toSpare\":true}");
        assertThat(both.status()).isEqualTo(400);
        Answer notBool = call("POST", "/api/v1/profiles/web-1/move", Tokens.Role.ADMIN, "{\"toSpare\":\"yes\"}");
        assertThat(notBool.status()).isEqualTo(400);
        assertThat(notBool.body().get("field").asText()).isEqualTo("toSpare");
        assertThat(call("POST", "/api/v1/profiles/web-1/move", Tokens.Role.VIEWER, "{\"toSpare\":true}").status()).isEqualTo(403);
        Answer busy = call("POST", "/api/v1/profiles/web-1/move", Tokens.Role.ADMIN, "{\"to\":\"dl-2\"}");
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.body().get("field").asText()).isEqualTo("to");
        assertThat(busy.body().get("error").asText()).isEqualTo("dl-2 cannot take web-1: it runs profile web-2");
        assertThat(call("POST", "/api/v1/profiles/nope/move", Tokens.Role.ADMIN, "{\"toSpare\":true}").status()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/profiles/web-1/move", Tokens.Role.ADMIN, "{\"to\":\"nowhere\"}").status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/jobs", Tokens.Role.VIEWER, null).body().size()).as("no job started by a refused move").isEqualTo(jobsBefore);

        Answer ok = call("POST", "/api/v1/profiles/web-1/move", Tokens.Role.ADMIN, "{\"toSpare\":true}");
        assertThat(ok.status()).as(ok.text()).isEqualTo(202);
        Answer job = call("GET", "/api/v1/jobs/" + ok.body().get("job").asLong(), Tokens.Role.VIEWER, null);
        assertThat(job.body().get("type").asText()).isEqualTo("move");
        assertThat(job.body().get("startedBy").asText()).isEqualTo("admin token 'admin'");
    }

    @Test
    void drain_badInput_is4xxNamingTheField_andNothingIsDrained() throws Exception {
        Answer none = call("POST", "/api/v1/drain", Tokens.Role.ADMIN, "{}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.body().get("field").asText()).isEqualTo("servers");
        Answer force = call("POST", "/api/v1/drain", Tokens.Role.ADMIN, "{\"servers\":[\"dl-3\"],\"force\":\"yes\"}");
        assertThat(force.status()).isEqualTo(400);
        assertThat(force.body().get("field").asText()).isEqualTo("force");
        Answer unknown = call("POST", "/api/v1/drain", Tokens.Role.ADMIN, "{\"servers\":[\"dl-3\",\"nope\"]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("error").asText()).startsWith("no server matches 'nope'");
        assertThat(call("POST", "/api/v1/drain", Tokens.Role.OPERATOR, "{\"servers\":[\"dl-3\"]}").status()).isEqualTo(403);
        Answer servers = call("GET", "/api/v1/servers", Tokens.Role.VIEWER, null);
        assertThat(servers.text()).doesNotContain("\"drained\":true");
    }

    @Test
    void rePair_ofAProfileThatIsNotLockstep_is409SayingSo_unknownIs404_viewerIs403_andNothingIsStarted() throws Exception {
        int jobsBefore = call("GET", "/api/v1/jobs", Tokens.Role.VIEWER, null).body().size();
        Answer hot = call("POST", "/api/v1/profiles/web-1/re-pair", Tokens.Role.ADMIN, null);
        assertThat(hot.status()).isEqualTo(409);
        assertThat(hot.body().get("error").asText()).isEqualTo("profile web-1 is not lockstep; only a lockstep pair is re-paired");
        assertThat(hot.body().get("field").asText()).isEqualTo("profile");
        assertThat(call("POST", "/api/v1/profiles/nope/re-pair", Tokens.Role.ADMIN, null).status()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/profiles/web-1/re-pair", Tokens.Role.VIEWER, null).status()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/jobs", Tokens.Role.VIEWER, null).body().size()).isEqualTo(jobsBefore);
    }

    @Test
    void maintenance_nonBoolean_is400() throws Exception {
        Answer a = call("POST", "/api/v1/groups/hot/maintenance", Tokens.Role.ADMIN, "{\"on\":\"yes\"}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().get("field").asText()).isEqualTo("on");
        assertThat(call("POST", "/api/v1/groups/nope/maintenance", Tokens.Role.ADMIN, "{\"on\":true}").status()).isEqualTo(404);
    }

    @Test
    void config_invalid_is400WithFieldPath_andNothingChanges() throws Exception {
        Answer a = call("POST", "/api/v1/config", Tokens.Role.ADMIN, "servers:\n  - id: x\n    cores: lots\n");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().get("error").asText()).contains("servers[0].cores");
        assertThat(call("GET", "/api/v1/servers", Tokens.Role.VIEWER, null).body().size()).isEqualTo(16);
    }

    @Test
    void plan_enclosure_saysWhereEachProfileLands() throws Exception {
        Answer a = call("POST", "/api/v1/plan", Tokens.Role.VIEWER, "{\"failEnclosure\":[\"enc1\"]}");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.body().get("failing").size()).isEqualTo(8);
        assertThat(a.text()).contains("db-1").contains("bl-s2");
        assertThat(call("POST", "/api/v1/plan", Tokens.Role.VIEWER, "{}").status()).isEqualTo(400);
    }

    @Test
    void plan_drainOfAnEnclosure_listsTheMovesAndChangesNothing() throws Exception {
        int jobsBefore = call("GET", "/api/v1/jobs", Tokens.Role.VIEWER, null).body().size();
        Answer a = call("POST", "/api/v1/plan", Tokens.Role.VIEWER, "{\"drain\":[\"enc1\"]}");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.body().get("servers").size()).isEqualTo(8);
        assertThat(a.body().get("moves").size()).as(a.text()).isPositive();
        for (JsonNode m : a.body().get("moves")) {
            assertThat(m.get("from").asText()).isNotBlank();
            // A move either has a target outside what is drained or says why it has none.
            if (m.get("to").isNull()) assertThat(m.get("why").asText()).isNotBlank();
            else assertThat(a.body().get("servers").toString()).doesNotContain("\"" + m.get("to").asText() + "\"");
        }
        assertThat(call("GET", "/api/v1/servers", Tokens.Role.VIEWER, null).text()).doesNotContain("\"drained\":true");
        assertThat(call("GET", "/api/v1/jobs", Tokens.Role.VIEWER, null).body().size()).as("jobs started by a plan").isEqualTo(jobsBefore);
    }

    @Test
    void plan_drainBadInput_is400NamingDrain() throws Exception {
        Answer unknown = call("POST", "/api/v1/plan", Tokens.Role.VIEWER, "{\"drain\":[\"nope\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("field").asText()).isEqualTo("drain");
        assertThat(unknown.body().get("error").asText()).contains("nope");
        Answer both = call("POST", "/api/v1/plan", Tokens.Role.VIEWER, "{\"drain\":[\"enc1\"],\"fail\":[\"dl-3\"]}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.body().get("field").asText()).isEqualTo("drain");
        Answer notList = call("POST", "/api/v1/plan", Tokens.Role.VIEWER, "{\"drain\":\"enc1\"}");
        assertThat(notList.status()).isEqualTo(400);
        assertThat(notList.body().get("field").asText()).isEqualTo("drain");
    }

    @Test
    void metrics_areServedInPrometheusFormat() throws Exception {
        Answer a = call("GET", "/metrics", null, null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.text()).contains("understudy_jobs_running{type=\"failover\"}").contains("understudy_alarms_open");
    }

    // ---- the web page's session and live events ----------------------------------------------------------------

    HttpResponse<String> raw(String method, String path, String cookie, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).timeout(Duration.ofSeconds(10));
        if (cookie != null) b.header("Cookie", cookie);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String loginCookie(Tokens.Role role) throws Exception {
        HttpResponse<String> r = raw("POST", "/api/v1/login", null, "{\"token\":\"" + node.tokens().first(role).token() + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    @Test
    void login_knownToken_setsHttpOnlySameSiteCookie_andAnswersRole() throws Exception {
        HttpResponse<String> r = raw("POST", "/api/v1/login", null, "{\"token\":\"" + node.tokens().first(Tokens.Role.OPERATOR).token() + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).get("role").asText()).isEqualTo("operator");
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(Api.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
    }

    @Test
    void login_unknownOrMissingToken_is401or400_andSetsNoCookie() throws Exception {
        HttpResponse<String> bad = raw("POST", "/api/v1/login", null, "{\"token\":\"nope\"}");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(Json.MAPPER.readTree(bad.body()).get("error").asText()).isEqualTo("unknown token");
        assertThat(raw("POST", "/api/v1/login", null, "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void whoami_withCookie_answersNameAndRole_andCookieAuthorizesReadsButNotAdminWrites() throws Exception {
        String cookie = loginCookie(Tokens.Role.VIEWER);
        JsonNode me = Json.MAPPER.readTree(raw("GET", "/api/v1/whoami", cookie, null).body());
        assertThat(me.get("name").asText()).isEqualTo("viewer");
        assertThat(me.get("role").asText()).isEqualTo("viewer");
        assertThat(raw("GET", "/api/v1/servers", cookie, null).statusCode()).isEqualTo(200);
        assertThat(raw("POST", "/api/v1/failover", cookie, "{\"server\":\"dl-1\"}").statusCode()).isEqualTo(403);
        assertThat(raw("GET", "/api/v1/whoami", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void logout_clearsTheCookie() throws Exception {
        HttpResponse<String> r = raw("POST", "/api/v1/logout", loginCookie(Tokens.Role.ADMIN), null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(Api.COOKIE + "=;").contains("Max-Age=0");
    }

    @Test
    void page_isServedFromTheJar() throws Exception {
        HttpResponse<String> index = raw("GET", "/", null, null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<script type=\"module\" src=\"js/main.js\">").doesNotContain("http://").doesNotContain("https://");
        assertThat(raw("GET", "/js/main.js", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void events_withoutStreamAccept_is406_andWithoutLogin_is401() throws Exception {
        HttpResponse<String> plain = raw("GET", "/api/v1/events", loginCookie(Tokens.Role.VIEWER), null);
        assertThat(plain.statusCode()).isEqualTo(406);
        assertThat(Json.MAPPER.readTree(plain.body()).get("field").asText()).isEqualTo("Accept");
        assertThat(raw("GET", "/api/v1/events", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void events_firstEventIsTheWholeView_andAChangeIsPushed() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/v1/events"))
                .header("Accept", "text/event-stream").header("Cookie", loginCookie(Tokens.Role.VIEWER)).build();
        HttpResponse<Stream<String>> r = http.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        var lines = r.body().iterator();
        try {
            JsonNode first = nextView(lines);
            assertThat(first.get("servers").size()).isEqualTo(16);
            assertThat(first.get("enclosures").size()).isEqualTo(2);
            for (String part : List.of("groups", "profiles", "jobs", "alarms", "sim", "now", "cluster")) assertThat(first.has(part)).as(part).isTrue();
            assertThat(call("POST", "/api/v1/groups/cold/maintenance", Tokens.Role.ADMIN, "{\"on\":true}").status()).isEqualTo(200);
            try {
                JsonNode pushed = nextView(lines);
                for (int i = 0; i < 20 && !maintenance(pushed, "cold"); i++) pushed = nextView(lines);
                assertThat(maintenance(pushed, "cold")).as("a view with cold in maintenance was pushed").isTrue();
            } finally {
                call("POST", "/api/v1/groups/cold/maintenance", Tokens.Role.ADMIN, "{\"on\":false}");
            }
        } finally {
            r.body().close();
        }
    }

    private static boolean maintenance(JsonNode view, String group) {
        for (JsonNode g : view.get("groups")) if (g.get("id").asText().equals(group)) return g.get("maintenance").asBoolean();
        return false;
    }

    /** Reads lines up to the next complete "view" event, bounded in time so a silent stream fails the test. */
    private static JsonNode nextView(java.util.Iterator<String> lines) throws Exception {
        CompletableFuture<JsonNode> f = CompletableFuture.supplyAsync(() -> {
            List<String> data = new ArrayList<>();
            String event = null;
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("event:")) event = line.substring(6).trim();
                else if (line.startsWith("data:")) data.add(line.substring(5).trim());
                else if (line.isEmpty() && "view".equals(event) && !data.isEmpty()) {
                    try {
                        return Json.MAPPER.readTree(String.join("\n", data));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            throw new IllegalStateException("event stream ended");
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void cluster_status_andMembershipChangesThatWouldLoseQuorum_areRefused() throws Exception {
        Answer st = call("GET", "/api/v1/cluster", Tokens.Role.VIEWER, null);
        assertThat(st.status()).isEqualTo(200);
        assertThat(st.body().get("leader").asText()).isEqualTo("n1");
        assertThat(st.body().get("members").size()).isEqualTo(1);
        // A second member that is not running: the new group of two could not reach its majority.
        Answer add = call("POST", "/api/v1/cluster/nodes", Tokens.Role.ADMIN, "{\"id\":\"n2\",\"address\":\"127.0.0.1:9\"}");
        assertThat(add.status()).isEqualTo(409);
        assertThat(add.body().get("error").asText()).contains("quorum lost");
        Answer bad = call("POST", "/api/v1/cluster/nodes", Tokens.Role.ADMIN, "{\"id\":\"n2\",\"address\":\"nowhere\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("field").asText()).isEqualTo("address");
        assertThat(call("POST", "/api/v1/cluster/nodes/n1/remove", Tokens.Role.ADMIN, null).status()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/cluster/nodes/n1/remove", Tokens.Role.OPERATOR, null).status()).isEqualTo(403);
    }
}

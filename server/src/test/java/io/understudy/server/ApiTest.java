package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.Json;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
        int raft;
        try (ServerSocket s = new ServerSocket(0)) {
            raft = s.getLocalPort();
        }
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
    void metrics_areServedInPrometheusFormat() throws Exception {
        Answer a = call("GET", "/metrics", null, null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.text()).contains("understudy_jobs_running{type=\"failover\"}").contains("understudy_alarms_open");
    }
}

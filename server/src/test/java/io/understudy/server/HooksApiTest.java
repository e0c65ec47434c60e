package io.understudy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.HookSpec;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/hooks}: the configured hooks and their events; {@code hooks/test} runs them on a sample event and records nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HooksApiTest {
    Node node;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        int raft = io.understudy.testkit.Ports.free();
        HookSpec told = new HookSpec("told", List.of(HookEvent.POST_FAILOVER),
                List.of("/bin/sh", "-c", "cat > /dev/null; echo told $UNDERSTUDY_PROFILE moved to $UNDERSTUDY_TARGET"), null, null, null, null, null);
        HookSpec freeze = new HookSpec("freeze", List.of(HookEvent.PRE_FAILOVER), List.of("/bin/sh", "-c", "echo change freeze; exit 3"),
                null, null, null, null, null);
        DataCenterConfig demo = DemoDataCenter.build();
        List<GroupSpec> groups = demo.groups().stream().map(g -> g.id().equals("hot")
                ? new GroupSpec(g.id(), g.servers(), g.spares(), g.policy(), List.of(freeze)) : g).toList();
        DataCenterConfig dc = new DataCenterConfig(demo.name(), demo.enclosures(), demo.servers(), groups, demo.profiles(), List.of(told));
        node = new Node(new Node.Settings(dir, "127.0.0.1", 0, raft, dc, 1, SimTimings.FAST));
    }

    @AfterAll
    void stop() {
        node.close();
    }

    record Answer(int status, JsonNode body) {}

    Answer call(String method, String path, Tokens.Role role, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .header("Authorization", "Bearer " + node.tokens().first(role).token());
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Json.MAPPER.readTree(r.body()));
    }

    @Test
    void hooksTest_runsEachHookOfTheEvent_withASampleOfTheGroup_andRecordsNothing() throws Exception {
        Answer a = call("POST", "/api/v1/hooks/test", Tokens.Role.ADMIN, "{\"event\":\"post-failover\",\"group\":\"hot\"}");
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
        assertThat(a.body().get("results")).hasSize(1);
        JsonNode r = a.body().get("results").get(0);
        assertThat(r.get("hook").asText()).isEqualTo("told");
        assertThat(r.get("ok").asBoolean()).isTrue();
        assertThat(r.get("result").asText()).contains("told web-1 moved to dl-s1");
        JsonNode listed = call("GET", "/api/v1/hooks", Tokens.Role.VIEWER, null).body();
        assertThat(listed.get("events")).isEmpty();
        assertThat(listed.get("hooks")).extracting(h -> h.get("name").asText() + "@" + h.get("scope").asText())
                .containsExactly("told@global", "freeze@hot");
    }

    @Test
    void hooksTest_ofAVetoHook_showsItsRefusal() throws Exception {
        Answer a = call("POST", "/api/v1/hooks/test", Tokens.Role.ADMIN, "{\"event\":\"pre-failover\",\"group\":\"hot\"}");
        JsonNode r = a.body().get("results").get(0);
        assertThat(r.get("hook").asText()).isEqualTo("freeze");
        assertThat(r.get("ok").asBoolean()).isFalse();
        assertThat(r.get("result").asText()).contains("exit 3").contains("change freeze");
    }

    @Test
    void hooksTest_badEventOrGroupOrRole_isRefused_namingTheField() throws Exception {
        Answer event = call("POST", "/api/v1/hooks/test", Tokens.Role.ADMIN, "{\"event\":\"post-failovr\"}");
        assertThat(event.status()).isEqualTo(400);
        assertThat(event.body().get("field").asText()).isEqualTo("event");
        assertThat(event.body().get("error").asText()).contains("unknown hook event 'post-failovr'").contains("post-failover");
        Answer group = call("POST", "/api/v1/hooks/test", Tokens.Role.ADMIN, "{\"event\":\"fallback\",\"group\":\"nope\"}");
        assertThat(group.status()).isEqualTo(404);
        assertThat(group.body().get("field").asText()).isEqualTo("group");
        assertThat(call("POST", "/api/v1/hooks/test", Tokens.Role.VIEWER, "{\"event\":\"fallback\"}").status()).isEqualTo(403);
    }
}

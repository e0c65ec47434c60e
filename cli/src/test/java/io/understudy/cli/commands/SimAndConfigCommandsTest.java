package io.understudy.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.cli.FakeApi;
import io.understudy.cli.TestCli;
import io.understudy.cli.TestCli.Result;
import io.understudy.state.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimAndConfigCommandsTest {
    final FakeApi api = FakeApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void simFail_postsModeAndUnknownModeIsUsageError() throws Exception {
        api.on("POST", "/api/v1/sim/servers/bl-1/fail", 200, "{'message':'bl-1 crashed'}");

        Result ok = TestCli.run(api.args("sim", "fail", "bl-1", "--mode", "power-loss"));
        Result bad = TestCli.run(api.args("sim", "fail", "bl-1", "--mode", "meteor"));

        assertThat(ok.code()).isZero();
        assertThat(Json.MAPPER.readTree(api.requests().get(0).body())).isEqualTo(Json.MAPPER.readTree("{\"mode\":\"power-loss\"}"));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--mode", "'meteor'", "stuck-power");
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void simRepair_notSimulated404_exits2() {
        api.on("POST", "/api/v1/sim/servers/bl-1/repair", 404, "{'error':'not a simulated data center'}");

        Result r = TestCli.run(api.args("sim", "repair", "bl-1"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: not a simulated data center" + System.lineSeparator());
    }

    @Test
    void sim_withoutSubcommand_isUsageError() {
        Result r = TestCli.run("sim");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required subcommand");
    }

    @Test
    void configApply_yamlFile_postsTextAsYaml(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dc.yml");
        Files.writeString(file, "groups:\n  - id: g1\n");
        api.on("POST", "/api/v1/config", 200, "{'message':'configuration applied: 1 group'}");

        Result r = TestCli.run(api.args("config", "apply", file.toString()));

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("configuration applied: 1 group");
        FakeApi.Request q = api.requests().get(0);
        assertThat(q.contentType()).isEqualTo("application/yaml");
        assertThat(q.body()).isEqualTo("groups:\n  - id: g1\n");
    }

    @Test
    void configApply_rejected400_listsEveryError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dc.json");
        Files.writeString(file, "{}");
        api.on("POST", "/api/v1/config", 400, "{'error':'2 errors in the data-center file','errors':["
                + "{'path':'profiles[0].home','message':'no server bl-9'},{'path':'groups','message':'at least one group'}]}");

        Result r = TestCli.run(api.args("config", "apply", file.toString()));

        assertThat(r.code()).isEqualTo(2);
        assertThat(api.requests().get(0).contentType()).isEqualTo("application/json");
        assertThat(r.err().lines().toList()).isEqualTo(List.of("error: 2 errors in the data-center file",
                "  profiles[0].home: no server bl-9", "  groups: at least one group"));
    }

    @Test
    void configApply_missingFile_exits2WithoutRequest(@TempDir Path dir) {
        Result r = TestCli.run(api.args("config", "apply", dir.resolve("nope.yaml").toString()));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read", "nope.yaml", "no such file");
        assertThat(api.requests()).isEmpty();
    }

    /** Found pasting the README tour: fallback right after sim repair failed, "home server bl-2 … is not running (fenced)". */
    @Test
    void fallbackRightAfterSimRepairFoundHomeFenced() {
        api.on("POST", "/api/v1/sim/servers/bl-2/repair", 200, "{'message':'bl-2 repaired'}");
        api.on("GET", "/api/v1/servers", 200, "[{'id':'bl-2','state':'running'}]");

        Result r = TestCli.run(api.args("sim", "repair", "bl-2", "--wait"));

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("server bl-2 is running");
    }

    @Test
    void simRepairWait_serverStaysFenced_exits1NamingTheState() {
        api.on("POST", "/api/v1/sim/servers/bl-2/repair", 200, "{'message':'bl-2 repaired'}");
        api.on("GET", "/api/v1/servers", 200, "[{'id':'bl-2','state':'fenced'}]");

        Result r = TestCli.run(api.args("sim", "repair", "bl-2", "--wait", "--timeout", "1s", "--poll-interval", "100ms"));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("server bl-2 still fenced after 1s");
    }
}

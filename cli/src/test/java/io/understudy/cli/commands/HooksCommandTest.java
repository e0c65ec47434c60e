package io.understudy.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.cli.FakeApi;
import io.understudy.cli.TestCli;
import io.understudy.cli.TestCli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code understudy hooks test EVENT}: what each configured hook returned to a sample event; a failed one exits 1. */
class HooksCommandTest {
    final FakeApi api = FakeApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void hooksTest_showsWhatEachHookReturned_andExitsOneWhenOneFailed() {
        api.on("POST", "/api/v1/hooks/test", 200, "{'event':'pre-failover','group':'hot','results':["
                + "{'hook':'log','ok':true,'result':'exit 0 in 4 ms'},{'hook':'window','ok':false,'result':'exit 3 in 5 ms: change freeze'}]}");
        Result r = TestCli.run(api.args("hooks", "test", "pre-failover", "--group", "hot"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("log").contains("exit 0 in 4 ms").contains("window").contains("FAILED").contains("change freeze");
        assertThat(api.requests("POST", "/api/v1/hooks/test").get(0).body()).contains("\"event\":\"pre-failover\"").contains("\"group\":\"hot\"");
    }

    @Test
    void hooksTest_withNoHookConfigured_saysSo() {
        api.on("POST", "/api/v1/hooks/test", 200, "{'event':'fallback','results':[]}");
        Result r = TestCli.run(api.args("hooks", "test", "fallback"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no hook runs on fallback outside groups");
    }

    @Test
    void hooksTest_ofAnUnknownEvent_isTheServersRefusal_namingTheField() {
        api.on("POST", "/api/v1/hooks/test", 400, "{'error':'unknown hook event \\'post-failovr\\' (expected one of pre-failover, post-failover)','field':'event'}");
        Result r = TestCli.run(api.args("hooks", "test", "post-failovr", "-o", "json"));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("unknown hook event").contains("post-failovr").contains("field: event");
    }
}

package io.understudy.state.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.HookEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Hooks in a data-center file: global and per group, each mistake named by its field. */
class HookConfigTest {
    static final String BASE = """
            name: hooks
            enclosures: [{id: enc1, bays: 2}]
            servers:
              - {id: s1, location: enc1/bay1, model: m, cores: 4, memoryGib: 8, bmc: {driver: sim}}
              - {id: s2, location: enc1/bay2, model: m, cores: 4, memoryGib: 8, bmc: {driver: sim}}
            groups:
              - id: g1
                servers: [s1]
                spares: [s2]
                hooks:
                  - name: veto
                    events: [pre-failover]
                    command: [/usr/local/bin/may-we, --fast]
            profiles:
              - {id: p1, group: g1, home: s1, identity: {hostname: p1}}
            """;

    static DataCenterConfig parse(String hooks) {
        return ConfigLoader.parse(BASE + hooks, "test.yaml");
    }

    @Test
    void globalAndGroupHooks_areRead_globalFirst() {
        DataCenterConfig dc = parse("""
                hooks:
                  - name: chat
                    events: [post-failover, alarm-raised]
                    webhook: https://chat.example/understudy
                    secretFile: /etc/understudy/chat.secret
                    timeout: 5s
                  - name: log
                    events: [pre-failover]
                    command: [logger, -t, understudy]
                """);
        assertThat(dc.hooksFor("g1", HookEvent.PRE_FAILOVER)).extracting(h -> h.name()).containsExactly("log", "veto");
        assertThat(dc.hooksFor(null, HookEvent.PRE_FAILOVER)).extracting(h -> h.name()).containsExactly("log");
        assertThat(dc.hook("chat").orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(dc.hook("veto").orElseThrow().command()).containsExactly("/usr/local/bin/may-we", "--fast");
        assertThat(dc.hook("veto").orElseThrow().attempts()).isEqualTo(5);
    }

    /** Found by ClusterHooksTest: "isWebhook()" was written to the log as webhook: false, so no replica could read a hook back. */
    @Test
    void webhookHookLostItsUrlThroughTheLog() {
        DataCenterConfig dc = parse("""
                hooks:
                  - {name: chat, events: [fallback], webhook: "https://chat.example/u", secretFile: /etc/chat.secret}
                """);
        DataCenterConfig replayed = io.understudy.state.Json.read(io.understudy.state.Json.bytes(dc), DataCenterConfig.class);
        assertThat(replayed).isEqualTo(dc);
        assertThat(io.understudy.model.config.ConfigValidator.validate(replayed)).isEmpty();
    }

    @Test
    void anUnknownEvent_isNamedWithTheValidOnes() {
        assertThatThrownBy(() -> parse("""
                hooks:
                  - {name: x, events: [post-failovr], command: [true]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("hooks[0].events[0]")
                .hasMessageContaining("post-failovr").hasMessageContaining("post-failover");
    }

    @Test
    void aWebhookWithoutSecretFile_bothCommandAndWebhook_andADuplicateName_areEachNamed() {
        assertThatThrownBy(() -> parse("""
                hooks:
                  - {name: a, events: [fallback], webhook: "http://127.0.0.1:9/x"}
                  - {name: b, events: [fallback], webhook: "http://127.0.0.1:9/x", secretFile: /s, command: [true]}
                  - {name: veto, events: [], command: [true]}
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hooks[0].secretFile: a webhook is signed")
                .hasMessageContaining("hooks[1].webhook: expected either a command")
                .hasMessageContaining("hooks[2].events: expected at least one of pre-failover")
                .hasMessageContaining("groups[0].hooks[0].name: duplicate hook name 'veto' (also at hooks[2])");
    }

    @Test
    void aMisspeltHookKey_isNamedWithItsLine() {
        assertThatThrownBy(() -> parse("""
                hooks:
                  - name: x
                    events: [fallback]
                    comand: [true]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'comand'")
                .hasMessageContaining("did you mean command?");
    }
}

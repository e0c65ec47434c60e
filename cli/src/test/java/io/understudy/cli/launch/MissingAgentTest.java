package io.understudy.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 at the command line: a data center whose real-BMC server has no agent is refused by {@code config check}
 * and {@code server}, naming {@code servers[i].agent}, unless a lab asks for the simulator with
 * {@code --simulate-missing-agents}.
 */
class MissingAgentTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        PrintStream out0 = System.out;
        PrintStream err0 = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out0);
            System.setErr(err0);
        }
    }

    /** Two servers: a simulated one, and r1 on a real IPMI BMC with no agent section. */
    private Path dataCenter() throws Exception {
        return Files.writeString(dir.resolve("dc.yaml"), """
                name: lab
                enclosures: [{id: enc1, bays: 4}]
                servers:
                  - {id: s1, location: enc1/bay1, model: M, cores: 8, memoryGib: 64}
                  - id: r1
                    location: enc1/bay2
                    model: M
                    cores: 8
                    memoryGib: 64
                    bmc: {driver: ipmi, endpoint: "10.0.0.6:623", username: admin, passwordEnv: BMC_PW}
                groups:
                  - {id: g, servers: [r1], spares: [s1]}
                profiles: []
                """);
    }

    @Test
    void simulatorStoodInForMissingAgent_configCheck_refusesNamingTheAgentField() throws Exception {
        Path f = dataCenter();
        Run r = run("config", "check", f.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(f + ": servers[1].agent: server 'r1' has a real BMC (ipmi) but no agent: add an agent section",
                "--simulate-missing-agents");
    }

    @Test
    void configCheck_labOptIn_acceptsAndSaysWhatItMeans() throws Exception {
        Run r = run("config", "check", "--simulate-missing-agents", dataCenter().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(": ok (1 enclosures, 2 servers").contains("lab: the simulator would stand in for the agents of 1 real-BMC server(s)");
    }

    @Test
    void simulatorStoodInForMissingAgent_server_refusesBeforeStartingAnything() throws Exception {
        Path data = dir.resolve("data");
        Run r = run("server", "--config", dataCenter().toString(), "--data-dir", data.toString(), "--port", "0");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("servers[1].agent: server 'r1' has a real BMC (ipmi) but no agent");
        assertThat(r.out()).doesNotContain("running");
        assertThat(Files.exists(data)).isFalse();
    }
}

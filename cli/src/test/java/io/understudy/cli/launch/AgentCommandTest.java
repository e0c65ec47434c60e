package io.understudy.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A bad agent.yaml is refused before anything starts, every problem named by its field. */
class AgentCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String err) {}

    private Run run(String yaml) throws Exception {
        Path f = Files.writeString(dir.resolve("agent.yaml"), yaml);
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new AgentCommand()).execute("--config", f.toString());
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }

    @Test
    void everyProblem_isNamedByItsField_andTheExitIs2() throws Exception {
        Run r = run("""
                listen: nowhere
                controlPlane: ["ftp://x"]
                heartbeatInterval: 50ms
                host: {prefix: 40}
                """);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("server: expected this server's id")
                .contains("listen: expected ADDRESS:PORT")
                .contains("controlPlane[0]: expected an http(s)://HOST:PORT URL, got 'ftp://x'")
                .contains("secretFile: set exactly one of secretFile or secretEnv")
                .contains("heartbeatInterval: expected at least 100ms, got 50ms")
                .contains("host.interfaceName: expected the interface");
    }

    @Test
    void hostSettings_areCheckedToo() throws Exception {
        Run r = run("""
                server: r1
                listen: 127.0.0.1:7700
                controlPlane: [http://127.0.0.1:8080]
                secretFile: /nonexistent/secret
                host: {interfaceName: eth0, prefix: 40}
                """);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("host.prefix: expected an IPv4 prefix length 1..32, got 40");
    }

    @Test
    void anUnknownField_isNamed() throws Exception {
        Run r = run("server: r1\nlisten: 127.0.0.1:7700\nheartbeat: 1s\n");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("heartbeat");
    }
}

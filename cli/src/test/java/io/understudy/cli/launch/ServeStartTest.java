package io.understudy.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.cli.client.ClientConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a node says before it starts: ports in use, where its data goes. */
class ServeStartTest {

    /** Found in the first hour: a taken port printed a 20-line stack trace naming 8081, a port the user never chose. */
    @Test
    void takenPortPrintedAStackTrace() throws Exception {
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int raft = held.getLocalPort();
            String line = PortCheck.firstTaken("127.0.0.1", List.of(
                    new PortCheck.Need("--port", 0, "the HTTP API"),
                    new PortCheck.Need("--raft-port", raft, "the Raft port, by default the HTTP port + 1")));
            assertThat(line).startsWith("--raft-port: port " + raft + " (the Raft port, by default the HTTP port + 1) is already in use")
                    .endsWith("choose another with --raft-port N")
                    .doesNotContain("\\n");
        }
    }

    @Test
    void freePortsPass() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        assertThat(PortCheck.firstTaken("127.0.0.1", List.of(new PortCheck.Need("--port", free, "the HTTP API")))).isNull();
    }

    /** Found in the first hour: the demo kept its data under Java's user.home, ignoring $HOME (the client config honours it). */
    @Test
    void demoDataIgnoredHome() {
        assertThat(ClientConfig.dataHome(Map.of("HOME", "/home/op"))).isEqualTo(Path.of("/home/op/.local/share/understudy"));
        assertThat(ClientConfig.dataHome(Map.of("HOME", "/home/op", "XDG_DATA_HOME", "/data"))).isEqualTo(Path.of("/data/understudy"));
        assertThat(ClientConfig.defaultFile(Map.of("HOME", "/home/op", "XDG_CONFIG_HOME", "/cfg"))).isEqualTo(Path.of("/cfg/understudy/client.yaml"));
    }
}

package io.understudy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.RepeatedTest;

class PortsTest {
    /**
     * CI failed once with "Raft port 34053 is already in use" when RatisClusterTest started a node again on the port
     * it had before: the port came from {@code new ServerSocket(0)}, inside the ephemeral range, where an outgoing
     * connection (a peer reconnecting over loopback can even connect to itself) may hold it while the node is down.
     */
    @RepeatedTest(20)
    void restartedNodeFoundItsPortHeldByAnOutgoingConnection() throws Exception {
        int first = Ports.freeRun(3);
        assertThat(first + 2).as("all three below the ephemeral range").isLessThan(Ports.ephemeralStart());
        for (int p = first; p < first + 3; p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(p));
                assertThat(s.getLocalPort()).isEqualTo(p);
            }
        }
    }
}

package io.understudy.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.state.ratis.RatisSettings;
import org.junit.jupiter.api.Test;

class PeersTest {
    @Test
    void parse_aGroupOfThree_keepsIdsHostsAndPorts() {
        assertThat(Peers.parse("n1=10.0.0.1:7461, n2=10.0.0.2:7461,n3=node3.example:7000", "n2")).containsExactly(
                new RatisSettings.Peer("n1", "10.0.0.1", 7461), new RatisSettings.Peer("n2", "10.0.0.2", 7461),
                new RatisSettings.Peer("n3", "node3.example", 7000));
    }

    @Test
    void parse_noPeers_isASingleNode() {
        assertThat(Peers.parse(null, null)).isEmpty();
        assertThat(Peers.parse("", "n1")).isEmpty();
    }

    @Test
    void parse_badInput_namesTheArgumentAndTheEntry() {
        assertThatThrownBy(() -> Peers.parse("n1=10.0.0.1", "n1")).hasMessage("--peers: expected ID=HOST:PORT, got 'n1=10.0.0.1'");
        assertThatThrownBy(() -> Peers.parse("n1=h:x", "n1")).hasMessage("--peers: expected a port number in 'n1=h:x'");
        assertThatThrownBy(() -> Peers.parse("n1=h:70000", "n1")).hasMessage("--peers: expected a port 1-65535 in 'n1=h:70000'");
        assertThatThrownBy(() -> Peers.parse("n1=h:1,n1=g:2", "n1")).hasMessage("--peers: node id 'n1' appears twice");
        assertThatThrownBy(() -> Peers.parse("n1=h:1,n2=g:2,n3=f:3", "n4")).hasMessage("--node-id n4 is not one of --peers [n1, n2, n3]");
        assertThatThrownBy(() -> Peers.parse("n1=h:1", null)).hasMessageContaining("--peers needs --node-id");
        assertThatThrownBy(() -> Peers.parse(null, "n2")).hasMessageContaining("--node-id n2 needs --peers");
    }
}

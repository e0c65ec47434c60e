package io.understudy.cli.launch;

import io.understudy.state.ratis.RatisSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Parses {@code --peers id1=host:port,id2=host:port,...}, naming the argument and the entry that is wrong. */
final class Peers {
    private Peers() {}

    static List<RatisSettings.Peer> parse(String text, String nodeId) {
        if (text == null || text.isBlank()) {
            if (nodeId != null && !nodeId.isBlank() && !nodeId.equals("n1")) {
                throw new IllegalArgumentException("--node-id " + nodeId + " needs --peers with every member of the group");
            }
            return List.of();
        }
        if (nodeId == null || nodeId.isBlank()) throw new IllegalArgumentException("--peers needs --node-id: which of the peers is this node");
        List<RatisSettings.Peer> peers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String entry : text.split(",")) {
            String e = entry.trim();
            int eq = e.indexOf('=');
            int colon = e.lastIndexOf(':');
            if (eq <= 0 || colon < eq + 2 || colon == e.length() - 1) {
                throw new IllegalArgumentException("--peers: expected ID=HOST:PORT, got '" + e + "'");
            }
            int port;
            try {
                port = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("--peers: expected a port number in '" + e + "'");
            }
            if (port < 1 || port > 65535) throw new IllegalArgumentException("--peers: expected a port 1-65535 in '" + e + "'");
            String id = e.substring(0, eq);
            if (!ids.add(id)) throw new IllegalArgumentException("--peers: node id '" + id + "' appears twice");
            peers.add(new RatisSettings.Peer(id, e.substring(eq + 1, colon), port));
        }
        if (!ids.contains(nodeId)) throw new IllegalArgumentException("--node-id " + nodeId + " is not one of --peers " + ids);
        return peers;
    }
}

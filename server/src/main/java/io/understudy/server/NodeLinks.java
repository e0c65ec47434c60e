package io.understudy.server;

import io.understudy.agent.HeartbeatSender;
import io.understudy.drivers.agent.AgentProtocol.Inventory;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network links from the simulated data center's agents to each control-plane node, which fault campaigns cut and
 * restore one node at a time: while a node's link is cut, no heartbeat or hardware event reaches it. Each node has a
 * sender of its own, so a cut link holds nothing back from the others.
 */
final class NodeLinks {
    private final Map<String, HeartbeatSender> senders = new LinkedHashMap<>();
    private final Set<String> cut = ConcurrentHashMap.newKeySet();

    /** @param nodes every control-plane node's URL, named by its text as given on the command line */
    NodeLinks(List<URI> nodes, long boot) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("expected at least one control-plane node to report to");
        for (URI node : nodes) senders.put(node.toString(), new HeartbeatSender(List.of(node), boot));
    }

    /** @param addresses what the server's identity interface holds, as a real agent reports it */
    void heartbeat(String server, String secret, Inventory inventory, List<String> addresses) {
        long now = System.currentTimeMillis();
        senders.forEach((node, sender) -> {
            if (!cut.contains(node)) sender.heartbeat(server, secret, inventory, addresses, now);
        });
    }

    void hardwareEvent(String server, String secret, String text) {
        senders.forEach((node, sender) -> {
            if (!cut.contains(node)) sender.hardwareEvent(server, secret, text);
        });
    }

    boolean knows(String node) {
        return senders.containsKey(node);
    }

    List<String> nodes() {
        return List.copyOf(senders.keySet());
    }

    /** Cuts the link to {@code node} (or, with false, restores it). */
    void cut(String node, boolean cut) {
        if (!knows(node)) throw new IllegalArgumentException("node: expected one of " + nodes() + ", got '" + node + "'");
        if (cut) this.cut.add(node);
        else this.cut.remove(node);
    }

    /** The nodes whose link is cut now, in the order the nodes were given. */
    List<String> cut() {
        return senders.keySet().stream().filter(cut::contains).toList();
    }
}

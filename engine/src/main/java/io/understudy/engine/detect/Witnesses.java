package io.understudy.engine.detect;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The other control-plane nodes, asked when the leader is about to suspect servers: agents heartbeat to every node,
 * so a server silent to the leader but heard by another node is cut off from the leader, not dead.
 */
public interface Witnesses {
    /**
     * Asks, without waiting: for each server some other node has heard, how long ago (the shortest such silence);
     * absent when unknown. The answer completes within the witnesses' own deadline, with what arrived by then.
     */
    CompletableFuture<Map<String, Duration>> ask(Collection<String> servers);

    Witnesses NONE = servers -> CompletableFuture.completedFuture(Map.of());
}

package io.understudy.engine.detect;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * The other control-plane nodes, asked when the leader is about to suspect servers: agents heartbeat to every node,
 * so a server silent to the leader but heard by another node is cut off from the leader, not dead.
 */
public interface Witnesses {
    /** For each server some other node has heard, how long ago (the shortest such silence); absent when unknown. */
    Map<String, Duration> silenceElsewhere(Collection<String> servers);

    Witnesses NONE = servers -> Map.of();
}

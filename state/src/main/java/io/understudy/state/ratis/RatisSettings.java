package io.understudy.state.ratis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How this node takes part in the Raft group: who it is, who its peers are, where its log lives, and its timeouts.
 *
 * @param nodeId this node's id; one of {@code peers}
 * @param peers every member of the group, this node included (one for the default single-node group)
 * @param dataDir the node's data directory; the Raft log and snapshots go to {@code dataDir/raft}
 * @param port the gRPC port this node listens on (Ratis binds it from here, not from the peer's address); normally
 *     the port of this node's own entry in {@code peers}, different only behind a port mapping
 * @param requestTimeout how long {@link RatisStateStore#submit} waits for a command to be committed and applied
 * @param snapshotThreshold applied entries between two automatic snapshots; 0 turns snapshots off (the whole log is
 *     replayed on restart — for tests of the replay path)
 * @param electionTimeoutMin a follower that hears no leader for a random time between min and max starts an election
 * @param electionTimeoutMax see {@code electionTimeoutMin}
 */
public record RatisSettings(String nodeId, List<Peer> peers, Path dataDir, int port, Duration requestTimeout,
                            long snapshotThreshold, Duration electionTimeoutMin, Duration electionTimeoutMax) {

    public static final int DEFAULT_PORT = 7460;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** A snapshot every 10,000 entries keeps a restart to a snapshot load plus at most that many applies. */
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MIN = Duration.ofMillis(150);
    public static final Duration DEFAULT_ELECTION_TIMEOUT_MAX = Duration.ofMillis(300);
    /** Snapshot files kept on disk; the older ones are deleted after each new snapshot. */
    public static final int SNAPSHOTS_RETAINED = 2;

    public RatisSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(dataDir, "dataDir");
        peers = List.copyOf(peers);
        if (requestTimeout == null) requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        if (electionTimeoutMin == null) electionTimeoutMin = DEFAULT_ELECTION_TIMEOUT_MIN;
        if (electionTimeoutMax == null) electionTimeoutMax = DEFAULT_ELECTION_TIMEOUT_MAX;
        Set<String> ids = new HashSet<>();
        for (Peer p : peers) {
            if (!ids.add(p.id())) throw new IllegalArgumentException("duplicate peer id '" + p.id() + "' in " + peers);
        }
        if (!ids.contains(nodeId)) throw new IllegalArgumentException("node '" + nodeId + "' is not one of the peers " + peers);
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("expected a port 1..65535, got " + port);
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("expected a positive request timeout, got " + requestTimeout);
        }
        if (snapshotThreshold < 0) throw new IllegalArgumentException("expected a snapshot threshold >= 0, got " + snapshotThreshold);
        if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero() || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("expected 0 < electionTimeoutMin < electionTimeoutMax, got "
                    + electionTimeoutMin + " / " + electionTimeoutMax);
        }
    }

    /** A member of a group with the default timeouts and snapshot threshold. */
    public RatisSettings(String nodeId, List<Peer> peers, Path dataDir, int port, Duration requestTimeout, long snapshotThreshold) {
        this(nodeId, peers, dataDir, port, requestTimeout, snapshotThreshold, DEFAULT_ELECTION_TIMEOUT_MIN, DEFAULT_ELECTION_TIMEOUT_MAX);
    }

    /** The default group: this node alone, on 127.0.0.1:port. */
    public static RatisSettings singleNode(String nodeId, Path dataDir, int port) {
        return new RatisSettings(nodeId, List.of(new Peer(nodeId, "127.0.0.1", port)), dataDir, port,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_SNAPSHOT_THRESHOLD);
    }

    /** The default group on the default port. */
    public static RatisSettings defaults(String nodeId, Path dataDir) {
        return singleNode(nodeId, dataDir, DEFAULT_PORT);
    }

    public RatisSettings withRequestTimeout(Duration timeout) {
        return new RatisSettings(nodeId, peers, dataDir, port, timeout, snapshotThreshold, electionTimeoutMin, electionTimeoutMax);
    }

    public RatisSettings withSnapshotThreshold(long threshold) {
        return new RatisSettings(nodeId, peers, dataDir, port, requestTimeout, threshold, electionTimeoutMin, electionTimeoutMax);
    }

    public RatisSettings withElectionTimeouts(Duration min, Duration max) {
        return new RatisSettings(nodeId, peers, dataDir, port, requestTimeout, snapshotThreshold, min, max);
    }

    /** This node's own entry in {@link #peers}. */
    public Peer self() {
        return peers.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow();
    }

    /** A member of the group and the address the others reach it at. */
    public record Peer(String id, String host, int port) {
        public Peer {
            if (id == null || id.isBlank()) throw new IllegalArgumentException("expected a non-empty peer id");
            if (host == null || host.isBlank()) throw new IllegalArgumentException("expected a host for peer '" + id + "'");
            if (port <= 0 || port > 65535) throw new IllegalArgumentException("expected a port 1..65535 for peer '" + id + "', got " + port);
        }

        public String address() {
            return host + ":" + port;
        }
    }
}

package io.understudy.state.ratis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Turns {@link RatisSettings} into Ratis' group, server properties and client, in one place. */
final class RatisGroup {
    private RatisGroup() {}

    /** Derived from a fixed name, so every member and every restart agrees on it without storing it anywhere. */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(
            UUID.nameUUIDFromBytes("understudy-control-plane".getBytes(StandardCharsets.UTF_8)));
    /** Pause between client attempts while a leader is being elected or found. */
    static final Duration RETRY_SLEEP = Duration.ofMillis(100);
    /** Smaller than Ratis' 32 MB so closed segments, and with them purged history, come often enough. */
    static final SizeInBytes SEGMENT_SIZE = SizeInBytes.valueOf("8MB");

    static RaftGroup group(RatisSettings s) {
        List<RaftPeer> peers = s.peers().stream()
                .map(p -> RaftPeer.newBuilder().setId(RaftPeerId.valueOf(p.id())).setAddress(p.address()).build())
                .toList();
        return RaftGroup.valueOf(GROUP_ID, peers);
    }

    static RaftProperties serverProperties(RatisSettings s) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(s.dataDir().resolve("raft").toFile()));
        GrpcConfigKeys.Server.setPort(p, s.port());
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(s.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(s.electionTimeoutMax()));
        // A leader that stepped down for want of a majority may not run again for this long (Ratis: 10 s). With two
        // of three left after a kill, one slow answer would then leave the group leaderless for 10 s — no detection,
        // no job step. One election timeout is enough to keep it from flapping.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, millis(s.electionTimeoutMax()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SEGMENT_SIZE);
        // Ratis 3.3's composed appends (on by default) take a request whose first entry is already being appended as
        // a duplicate and acknowledge all of it, also entries the earlier request did not carry: a follower sent the
        // log twice after a restart from an empty data directory said "I hold 2122" holding 2121 (campaign seed
        // 20261202, trial 20). The leader counted that entry as replicated, and sent the follower nothing more that
        // term. Plain appends compare each entry with the log.
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
        boolean snapshots = s.snapshotThreshold() > 0;
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, snapshots);
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, snapshots);
        if (snapshots) {
            RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotThreshold());
            RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, RatisSettings.SNAPSHOTS_RETAINED);
            // History before a snapshot is not needed on disk: a member that lags that far gets the snapshot.
            RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        }
        return p;
    }

    /**
     * A client with a bounded retry policy (Ratis' default retries forever): enough attempts, a retry sleep apart,
     * to span the request timeout while a new leader is elected.
     */
    static RaftClient client(RatisSettings s) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(s.requestTimeout()));
        int attempts = (int) Math.max(3, s.requestTimeout().toMillis() / RETRY_SLEEP.toMillis());
        RetryPolicy retry = RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts, millis(RETRY_SLEEP));
        return RaftClient.newBuilder()
                .setRaftGroup(group(s))
                .setLeaderId(RaftPeerId.valueOf(s.nodeId()))
                .setProperties(p)
                .setRetryPolicy(retry)
                .build();
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}

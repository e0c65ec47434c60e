package io.understudy.state.ratis;

import io.understudy.state.ClusterStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * Reads the group's status from a member, and changes the membership through Raft's own configuration change,
 * refusing a change that would leave the group without a reachable majority.
 */
final class Membership {
    private Membership() {}

    /** A member the leader has heard from within this long counts as reachable. */
    static final long REACHABLE_MS = 3000;

    static ClusterStatus status(RaftServer.Division division, RatisSettings settings) {
        DivisionInfo info = division.getInfo();
        RoleInfoProto role = info.getRoleInfoProto();
        Map<String, Long> match = new HashMap<>();
        Map<String, Long> contact = new HashMap<>();
        if (info.isLeader() && role.hasLeaderInfo()) {
            List<ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
            long[] indices = info.getFollowerMatchIndices();
            for (int i = 0; i < followers.size(); i++) {
                String id = followers.get(i).getId().getId().toStringUtf8();
                contact.put(id, followers.get(i).getLastRpcElapsedTimeMs());
                if (i < indices.length) match.put(id, indices[i]);
            }
        }
        long commit = division.getRaftLog().getLastCommittedIndex();
        String leader = info.getLeaderId() == null ? null : info.getLeaderId().toString();
        List<ClusterStatus.Member> members = new ArrayList<>();
        Collection<RaftPeer> peers = division.getGroup().getPeers();
        for (RaftPeer p : peers) {
            String id = p.getId().toString();
            boolean self = id.equals(settings.nodeId());
            String r = id.equals(leader) ? "leader" : "follower";
            long m = self ? info.getLastAppliedIndex() : match.getOrDefault(id, -1L);
            long lag = info.isLeader() ? (m < 0 ? -1 : Math.max(0, commit - m)) : (self ? Math.max(0, commit - m) : -1);
            members.add(new ClusterStatus.Member(id, p.getAddress(), r, m, lag, self ? 0 : contact.getOrDefault(id, -1L)));
        }
        return new ClusterStatus(settings.nodeId(), leader, info.getCurrentTerm(), commit, info.getLastAppliedIndex(), members);
    }

    /**
     * Sets the group's members to {@code next}. Refused when the members that are reachable now would not be a
     * majority of the new group (it could elect no leader), or when the group would be left empty.
     */
    static String change(RaftServer.Division division, RatisSettings settings, List<RatisSettings.Peer> next) throws IOException {
        if (next.isEmpty()) throw new IllegalArgumentException("a group needs at least one member");
        ClusterStatus now = status(division, settings);
        if (!division.getInfo().isLeader()) {
            throw new IllegalStateException("membership changes go through the leader (" + now.leader() + "); ask it");
        }
        long reachable = next.stream().filter(p -> now.members().stream().anyMatch(m -> m.id().equals(p.id())
                && (m.role().equals("leader") || (m.lastContactMs() >= 0 && m.lastContactMs() < REACHABLE_MS)))).count();
        int majority = next.size() / 2 + 1;
        if (reachable < majority) {
            throw new IllegalStateException("refused: the new group of " + next.size() + " would have " + reachable
                    + " reachable member(s), fewer than its majority of " + majority + " (quorum lost); start the new node(s) first");
        }
        List<RaftPeer> peers = next.stream().map(p -> RaftPeer.newBuilder().setId(RaftPeerId.valueOf(p.id())).setAddress(p.address()).build()).toList();
        try (RaftClient client = RatisGroup.client(settings)) {
            RaftClientReply reply = client.admin().setConfiguration(peers);
            if (!reply.isSuccess()) throw new IOException("configuration change failed: " + reply.getException());
        }
        return "group is now " + next.stream().map(p -> p.id() + "=" + p.address()).toList();
    }
}

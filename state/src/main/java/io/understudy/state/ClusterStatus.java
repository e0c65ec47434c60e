package io.understudy.state;

import java.util.List;

/**
 * The control plane as one node sees it: who leads, in which term, how far the log is committed and applied, and
 * for each member its role and how far it lags (known on the leader only; -1 elsewhere).
 */
public record ClusterStatus(String node, String leader, long term, long commitIndex, long appliedIndex, List<Member> members) {

    public record Member(String id, String address, String role, long matchIndex, long lag, long lastContactMs) {}
}

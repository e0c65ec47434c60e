package io.understudy.system.chaos;

import java.util.Locale;

/** What a campaign does to the system while it works. */
enum FaultKind {
    CRASH(true), HANG(true), POWER_LOSS(true), BMC_DOWN(true), STUCK_POWER(true), HW_EVENT(true), ISOLATED(true),
    /** A repair of one server before the trial ends. */
    REPAIR(false),
    OPERATOR_FAILOVER(false), OPERATOR_FALLBACK(false), LOCK(false), MAINTENANCE(false),
    /** kill -9 of a node, started again later with its data directory. */
    NODE_KILL(false),
    /** kill -9 of a node, started again later from an empty data directory: it must rejoin. */
    NODE_WIPE(false),
    LEADER_KILL(false),
    /** The agents' link to one node is cut (sim-dc's links endpoint): a control-plane partition seen by the agents. */
    AGENT_PARTITION(false),
    /** One node's Raft port blocked on loopback (root only). */
    RAFT_PARTITION(false),
    /** An operator's planned move of a profile to a spare; drawn in place of some operator failovers. */
    OPERATOR_MOVE(false),
    /** An operator drains a server ({@code force}), undrained when it lasts out; drawn in place of some maintenance. */
    DRAIN(false),
    /**
     * kill -9 of the leader once a running job shows the named step (the target), or after
     * {@link Injector#AT_STEP_WAIT} if none does; drawn in place of some leader kills.
     */
    LEADER_KILL_AT_STEP(false);

    /** Whether it is a hardware fault sim-dc injects into a server. */
    final boolean hardware;

    FaultKind(boolean hardware) {
        this.hardware = hardware;
    }

    /** sim-dc's fault mode for a hardware fault. */
    String mode() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    boolean killsNode() {
        return this == NODE_KILL || this == NODE_WIPE || this == LEADER_KILL || this == LEADER_KILL_AT_STEP;
    }

    /**
     * A kind drawn in place of another (with half its chance), from a second random stream of the trial's seed: the
     * kinds drawn first, their times and targets, stay what they were before these kinds came in.
     */
    FaultKind variantOf() {
        return switch (this) {
            case OPERATOR_MOVE -> OPERATOR_FAILOVER;
            case DRAIN -> MAINTENANCE;
            case LEADER_KILL_AT_STEP -> LEADER_KILL;
            default -> null;
        };
    }
}

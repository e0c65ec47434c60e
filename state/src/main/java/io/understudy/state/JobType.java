package io.understudy.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.HookEvent;
import java.util.List;

/** The kinds of job and the steps each runs, in order. */
public enum JobType {
    /**
     * A spare is reserved before the source is fenced, so a server nothing can replace is not powered off; the
     * identity still moves only after the fence (invariant 2). VCEM's order is {@link #VCEM_FAILOVER}.
     */
    @JsonProperty("failover") FAILOVER(List.of("check-group", "identify-source", "select-spare", "fence",
            "move-profile", "activate", "verify", "release")),
    @JsonProperty("fallback") FALLBACK(List.of("check-group", "release-spare", "sync-data", "move-profile", "activate",
            "verify", "release")),
    /**
     * A planned move off a healthy, cooperating source: no fence unless the source will not confirm it gave the identity
     * up. Before release-source, a failure rolls back (the workload is started again on the source).
     */
    @JsonProperty("move") MOVE(List.of("check-move", "stop-source", "sync-data", "release-source", "move-profile", "activate",
            "verify", "release")),
    /**
     * Lockstep re-pairing (seed 000, "the other CE is synchronized"): the twin of a lockstep pair — the repaired old
     * home, or the group's spare — runs no member; its member is started and synced in (snapshot and the tail of
     * inputs) while the primary serves. Nothing moves: the alias stays on the primary; the twin is reserved meanwhile.
     */
    @JsonProperty("re-pair") REPAIR(List.of("start-twin", "sync-twin"));

    /** VCEM's failover order, fence before select-spare: a group's {@code fenceFirst} option. */
    public static final List<String> VCEM_FAILOVER = List.of("check-group", "identify-source", "fence", "select-spare",
            "move-profile", "activate", "verify", "release");

    private final List<String> steps;

    JobType(List<String> steps) {
        this.steps = steps;
    }

    /** The default steps of this kind of job. */
    public List<String> steps() {
        return steps;
    }

    /** The step that runs the pre-failover hooks: right before the fence, so a veto stops the job before anything is done. */
    public static final String PRE_FAILOVER_HOOK = "pre-failover-hook";

    /** The step that runs the pre-move hooks: right before the source's workload stops. */
    public static final String PRE_MOVE_HOOK = "pre-move-hook";

    /** The hooks that may veto a job of this kind (run as its own step), or null. */
    public HookEvent vetoEvent() {
        return switch (this) {
            case FAILOVER -> HookEvent.PRE_FAILOVER;
            case MOVE -> HookEvent.PRE_MOVE;
            case FALLBACK, REPAIR -> null;
        };
    }

    /** The steps with the veto hook's step (before the fence of a failover, before a move stops anything) when one is configured. */
    public List<String> steps(GroupPolicy policy, boolean vetoHook) {
        List<String> plain = steps(policy);
        if (vetoEvent() == null || !vetoHook) return plain;
        List<String> out = new java.util.ArrayList<>(plain);
        if (this == FAILOVER) out.add(out.indexOf("fence"), PRE_FAILOVER_HOOK);
        else out.add(out.indexOf("stop-source"), PRE_MOVE_HOOK);
        return List.copyOf(out);
    }

    /**
     * The step a profile that starts after others (ordered boot, its {@code after}) waits in before activate, until
     * every profile it follows is verified running.
     */
    public static final String BOOT_ORDER = "boot-order";

    /** The steps with {@link #BOOT_ORDER} before activate when the profile starts after others. */
    public List<String> steps(GroupPolicy policy, boolean vetoHook, boolean ordered) {
        List<String> plain = steps(policy, vetoHook);
        if (!ordered || !plain.contains("activate")) return plain;
        List<String> out = new java.util.ArrayList<>(plain);
        out.add(out.indexOf("activate"), BOOT_ORDER);
        return List.copyOf(out);
    }

    /** The steps a job of this kind runs in a group with this policy: fixed when the job is created. */
    public List<String> steps(GroupPolicy policy) {
        return this == FAILOVER && policy != null && policy.fenceFirst() ? VCEM_FAILOVER : steps;
    }

    public String wire() {
        return this == REPAIR ? "re-pair" : name().toLowerCase();
    }
}

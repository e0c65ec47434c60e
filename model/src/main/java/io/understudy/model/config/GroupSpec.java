package io.understudy.model.config;

import java.util.List;

/** A failover domain: regular servers, the spares that stand in for them, the policy and the group's own hooks. */
public record GroupSpec(String id, List<String> servers, List<String> spares, GroupPolicy policy, List<HookSpec> hooks) {
    public GroupSpec {
        servers = servers == null ? List.of() : List.copyOf(servers);
        spares = spares == null ? List.of() : List.copyOf(spares);
        if (policy == null) policy = GroupPolicy.DEFAULTS;
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
    }

    /** A group without hooks of its own. */
    public GroupSpec(String id, List<String> servers, List<String> spares, GroupPolicy policy) {
        this(id, servers, spares, policy, null);
    }
}

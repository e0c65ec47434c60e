package io.understudy.model.config;

import java.util.List;

/** A failover domain: regular servers, the spares that stand in for them, and the policy. */
public record GroupSpec(String id, List<String> servers, List<String> spares, GroupPolicy policy) {
    public GroupSpec {
        servers = servers == null ? List.of() : List.copyOf(servers);
        spares = spares == null ? List.of() : List.copyOf(spares);
        if (policy == null) policy = GroupPolicy.DEFAULTS;
    }
}

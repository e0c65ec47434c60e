package io.understudy.model.config;

/**
 * A portable identity plus a workload, normally running on its home server.
 *
 * @param priority lower value wins a spare first
 * @param protection overrides the group's protection level when set
 */
public record ProfileSpec(
        String id,
        String group,
        String home,
        Identity identity,
        Workload workload,
        Requirements requirements,
        Integer priority,
        FallbackMode fallback,
        ProtectionLevel protection) {

    public ProfileSpec {
        if (identity == null) identity = new Identity(null, null, null, null);
        if (priority == null) priority = 100;
        if (fallback == null) fallback = FallbackMode.MANUAL;
    }
}

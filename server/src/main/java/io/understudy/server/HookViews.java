package io.understudy.server;

import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.HookSpec;
import io.understudy.state.ClusterState;
import io.understudy.state.HookFiring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/hooks}: the configured hooks (never a secret, only where it is kept) and the recent events. */
final class HookViews {
    private HookViews() {}

    static final int RECENT = 100;

    record Hook(String name, String scope, List<String> events, List<String> command, String webhook, String timeout,
                int attempts, String retryBackoff) {}

    static Map<String, Object> hooks(ClusterState s) {
        List<Hook> hooks = new ArrayList<>();
        s.config().hooks().forEach(h -> hooks.add(view(h, "global")));
        for (GroupSpec g : s.config().groups()) g.hooks().forEach(h -> hooks.add(view(h, g.id())));
        List<HookFiring> events = new ArrayList<>(s.hookEvents());
        java.util.Collections.reverse(events);
        return Map.of("hooks", hooks, "events", events.subList(0, Math.min(RECENT, events.size())));
    }

    private static Hook view(HookSpec h, String scope) {
        return new Hook(h.name(), scope, h.events().stream().map(e -> e.wire()).toList(), h.byWebhook() ? null : h.command(),
                h.webhook(), io.understudy.state.Durations.format(h.timeout()), h.attempts(),
                io.understudy.state.Durations.format(h.retryBackoff()));
    }
}

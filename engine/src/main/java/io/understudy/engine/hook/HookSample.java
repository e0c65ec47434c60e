package io.understudy.engine.hook;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.ProfileSpec;
import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The variables of a sample event for {@code understudy hooks test}: shaped like a real one of that kind (a job's
 * or an alarm's), about a profile of the group when there is one, and marked as a test in its id and reason.
 */
final class HookSample {
    private HookSample() {}

    static SortedMap<String, String> of(DataCenterConfig config, HookEvent event, String group, Instant now) {
        SortedMap<String, String> v = new TreeMap<>();
        v.put("event", event.wire());
        v.put("event_id", "test-" + now.toEpochMilli());
        v.put("time", now.toString());
        if (group != null) v.put("group", group);
        ProfileSpec p = config.profiles().stream().filter(x -> group == null || group.equals(x.group())).findFirst().orElse(null);
        String profile = p == null ? "sample-profile" : p.id();
        String home = p == null || p.home() == null ? "sample-server" : p.home();
        String spare = config.group(p == null ? group : p.group()).flatMap(g -> g.spares().stream().findFirst()).orElse("sample-spare");
        switch (event) {
            case ALARM_RAISED, ALARM_CLEARED -> {
                v.put("alarm", "server-failed");
                v.put("alarm_id", "0");
                v.put("subject", home);
                v.put("text", "sample alarm from understudy hooks test");
            }
            default -> {
                boolean fallback = event == HookEvent.FALLBACK;
                v.put("job", "0");
                v.put("job_type", fallback ? "fallback" : event == HookEvent.PRE_MOVE || event == HookEvent.POST_MOVE ? "move" : "failover");
                v.put("profile", profile);
                v.put("source", fallback ? spare : home);
                v.put("target", fallback ? home : spare);
                v.put("status", event.veto() ? "running" : event == HookEvent.FAILOVER_FAILED ? "failed" : "succeeded");
                v.put("reason", "sample event from understudy hooks test");
                v.put("started_by", "hooks test");
            }
        }
        return v;
    }
}

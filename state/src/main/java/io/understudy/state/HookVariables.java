package io.understudy.state;

import io.understudy.model.config.HookEvent;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a hook is told about an event, by lower-case name. A command gets every name of {@link #NAMES} as
 * {@code UNDERSTUDY_<NAME>} (empty when the event has no such value, so nothing inherited stands in for it) and the
 * set values as a JSON object on standard input; a webhook gets that object as its body.
 */
public final class HookVariables {
    private HookVariables() {}

    public static final List<String> NAMES = List.of("event", "event_id", "time", "group", "job", "job_type", "profile",
            "source", "target", "status", "reason", "started_by", "alarm", "alarm_id", "subject", "text");

    /** A job's event: the job as it stands (ended, for post-failover and the like). */
    public static SortedMap<String, String> job(HookEvent e, Job j, Instant at) {
        SortedMap<String, String> v = common(e, j.group(), at);
        v.put("job", String.valueOf(j.id()));
        v.put("job_type", j.type().wire());
        v.put("profile", j.profile());
        put(v, "source", j.source());
        put(v, "target", j.target());
        v.put("status", j.status().wire());
        put(v, "reason", j.ended() != null ? j.message() : j.reason());
        put(v, "started_by", j.startedBy());
        return v;
    }

    public static SortedMap<String, String> alarm(HookEvent e, Alarm a, String group, Instant at) {
        SortedMap<String, String> v = common(e, group, at);
        v.put("alarm", a.type().wire());
        v.put("alarm_id", String.valueOf(a.id()));
        v.put("subject", a.subject());
        put(v, "text", a.text());
        return v;
    }

    private static SortedMap<String, String> common(HookEvent e, String group, Instant at) {
        SortedMap<String, String> v = new TreeMap<>();
        v.put("event", e.wire());
        v.put("time", at.toString());
        put(v, "group", group);
        return v;
    }

    private static void put(SortedMap<String, String> v, String key, String value) {
        if (value != null) v.put(key, value);
    }
}

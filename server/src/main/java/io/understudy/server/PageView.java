package io.understudy.server;

import io.understudy.engine.Engine;
import io.understudy.model.time.Scheduler;
import io.understudy.sim.SimDataCenter;
import io.understudy.state.Alarm;
import io.understudy.state.ClusterState;
import io.understudy.state.Job;
import io.understudy.state.StateStore;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything the web page draws, in one JSON document: the API's views of servers, groups, profiles, recent jobs
 * with their steps and recent alarms, plus the enclosures, the simulator's view and the (possibly sped-up) clock.
 */
final class PageView {
    /** Jobs and cleared alarms kept in the page: an operator watches what happens now, the API has the history. */
    static final int RECENT = 50;

    private final StateStore store;
    private final Engine engine;
    private final SimDataCenter sim;
    private final Scheduler clock;
    private final String node;
    private final boolean simulateMissingAgents;

    PageView(StateStore store, Engine engine, SimDataCenter sim, Scheduler clock, String node, boolean simulateMissingAgents) {
        this.simulateMissingAgents = simulateMissingAgents;
        this.store = store;
        this.engine = engine;
        this.sim = sim;
        this.clock = clock;
        this.node = node;
    }

    Map<String, Object> build() {
        Map<String, Object> m = store.read(s -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("appliedIndex", s.appliedIndex());
            v.put("enclosures", s.config().enclosures());
            v.put("servers", Views.servers(s, engine, simulateMissingAgents));
            v.put("groups", Views.groups(s));
            v.put("profiles", Views.withPairs(Views.profiles(s), engine.pairs()));
            v.put("jobs", recentJobs(s).stream().map(j -> Views.job(j, engine, true)).toList());
            v.put("alarms", recentAlarms(s));
            return v;
        });
        m.put("cluster", Map.of("node", node, "leader", store.isLeader(), "term", store.term(), "appliedIndex", m.remove("appliedIndex")));
        m.put("sim", sim == null ? null : sim.views());
        // Step durations are in the scheduler's time, which the demo speeds up: the page measures against this.
        m.put("now", clock.now());
        return m;
    }

    static List<Job> recentJobs(ClusterState s) {
        Stream<Job> newest = s.jobs().stream().sorted(Comparator.comparingLong(Job::id).reversed()).limit(RECENT);
        return Stream.concat(s.activeJobs().stream(), newest).distinct()
                .sorted(Comparator.comparingLong(Job::id).reversed()).toList();
    }

    static List<Alarm> recentAlarms(ClusterState s) {
        Stream<Alarm> cleared = s.alarms().stream().filter(a -> !a.open())
                .sorted(Comparator.comparing(Alarm::cleared).reversed()).limit(RECENT);
        return Stream.concat(s.openAlarms().stream(), cleared).sorted(Comparator.comparingLong(Alarm::id).reversed()).toList();
    }

    boolean jobsRunning() {
        return store.read(s -> !s.activeJobs().isEmpty());
    }

    long appliedIndex() {
        return store.read(ClusterState::appliedIndex);
    }

    Object simSignature() {
        return sim == null ? List.of() : sim.views();
    }
}

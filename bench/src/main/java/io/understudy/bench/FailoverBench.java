package io.understudy.bench;

import io.understudy.drivers.Drivers;
import io.understudy.engine.Engine;
import io.understudy.engine.EngineListener;
import io.understudy.engine.EngineSettings;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.Job;
import io.understudy.state.LocalStateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * End-to-end failover in the simulator, on the driven clock: detection latency and time from failure to a verified
 * {@code hot} failover, with the demo's hot group (heartbeat 200 ms, failure timeout 1 s) and the default simulated
 * hardware timings. The baseline measured in the same run is the failure timeout itself — the floor any
 * heartbeat detector with that timeout has — so the ratio shows what confirmation and the engine add.
 *
 * <p>Run: {@code bench/run.sh} (or {@code java -cp bench/target/understudy-bench.jar io.understudy.bench.FailoverBench 50}).
 */
public final class FailoverBench {
    public static void main(String[] args) {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Random random = new Random(42);
        List<Long> detect = new ArrayList<>();
        List<Long> failover = new ArrayList<>();
        java.util.Map<String, List<Long>> steps = new java.util.LinkedHashMap<>();
        long wallStart = System.nanoTime();
        for (int t = 0; t < trials; t++) {
            long[] r = trial(random.nextInt(200), steps);
            detect.add(r[0]);
            failover.add(r[1]);
        }
        double wallMs = (System.nanoTime() - wallStart) / 1e6;
        long timeout = 1000;
        System.out.printf("trials: %d (simulated time; heartbeat 200 ms, failure timeout 1 s, crash at a random phase)%n", trials);
        System.out.printf("baseline (failure timeout): %d ms%n", timeout);
        print("detection latency (crash -> failed committed)", detect, timeout);
        print("hot failover (crash -> job verified)", failover, timeout);
        StringBuilder b = new StringBuilder("median step durations:");
        steps.forEach((name, ms) -> b.append(' ').append(name).append(' ').append(median(ms)).append(" ms;"));
        System.out.println(b.substring(0, b.length() - 1));
        System.out.printf("wall time for all trials: %.0f ms (%.1f ms per simulated failover)%n", wallMs, wallMs / trials);
    }

    private static long median(List<Long> ms) {
        List<Long> s = new ArrayList<>(ms);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static void print(String what, List<Long> ms, long baseline) {
        List<Long> s = new ArrayList<>(ms);
        Collections.sort(s);
        long median = s.get(s.size() / 2);
        long p95 = s.get((int) Math.ceil(s.size() * 0.95) - 1);
        System.out.printf("%s: median %d ms, p95 %d ms, max %d ms; median/baseline %.2f%n", what, median, p95, s.get(s.size() - 1),
                (double) median / baseline);
    }

    /** One crash of dl-1 after a settled start; returns {detection ms, failover ms}. */
    static long[] trial(int phaseMs, java.util.Map<String, List<Long>> steps) {
        DataCenterConfig dc = DemoDataCenter.build(4);
        DrivenScheduler clock = new DrivenScheduler();
        LocalStateStore store = new LocalStateStore();
        SimDataCenter sim = new SimDataCenter(dc, clock, SimTimings.DEFAULTS);
        Engine engine = new Engine(store, new Drivers(Map.of("sim", sim), sim, sim), clock, EngineSettings.DEFAULTS, Runnable::run, EngineListener.NONE);
        sim.addListener(engine.detector());
        store.submit(new ApplyConfig(dc, "bench", clock.now()));
        store.announceLeadership();
        sim.start();
        clock.advance(Duration.ofSeconds(15).plusMillis(phaseMs));
        Instant crash = clock.now();
        sim.inject("dl-1", Fault.CRASH);
        Instant failed = null;
        Instant verified = null;
        for (int i = 0; i < 60_000 && verified == null; i++) {
            clock.advance(Duration.ofMillis(1));
            if (failed == null && store.read(s -> s.server("dl-1").state()).isDown()) failed = clock.now();
            Job j = store.read(s -> s.jobs().isEmpty() ? null : s.jobs().iterator().next());
            if (j != null && j.status() == Job.Status.SUCCEEDED) verified = clock.now();
        }
        if (verified == null) throw new IllegalStateException("failover did not complete");
        Job done = store.read(s -> s.jobs().iterator().next());
        done.steps().forEach(st -> steps.computeIfAbsent(st.name(), k -> new ArrayList<>())
                .add(Duration.between(st.started(), st.ended()).toMillis()));
        engine.leadershipLost();
        return new long[] {Duration.between(crash, failed).toMillis(), Duration.between(crash, verified).toMillis()};
    }
}

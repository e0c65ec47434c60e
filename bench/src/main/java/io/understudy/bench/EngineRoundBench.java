package io.understudy.bench;

import io.understudy.drivers.Drivers;
import io.understudy.engine.Engine;
import io.understudy.engine.EngineListener;
import io.understudy.engine.EngineSettings;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.LocalStateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one leader round (detection, event handling, jobs, fallback, capacity) on a healthy data center, for
 * the 16-server demo (the baseline) and a 1,000-server fleet. The leader runs a round every 100 ms, so a round must
 * stay far below that.
 *
 * <p>Run: {@code bench/jmh.sh} (= {@code java -cp bench/target/understudy-bench.jar org.openjdk.jmh.Main EngineRoundBench}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EngineRoundBench {
    /** Regular servers per group; the fleet is 2 × (n + 2) servers: 16 and 1,000. */
    @Param({"6", "498"})
    int regularsPerGroup;

    Engine engine;

    @Setup
    public void setUp() {
        DataCenterConfig dc = DemoDataCenter.build(regularsPerGroup);
        DrivenScheduler clock = new DrivenScheduler();
        LocalStateStore store = new LocalStateStore();
        SimDataCenter sim = new SimDataCenter(dc, clock, SimTimings.FAST);
        engine = new Engine(store, new Drivers(Map.of("sim", sim), sim, sim), clock, EngineSettings.DEFAULTS, Runnable::run, EngineListener.NONE);
        sim.addListener(engine.detector());
        store.submit(new ApplyConfig(dc, "bench", clock.now()));
        store.announceLeadership();
        sim.start();
        clock.advance(Duration.ofSeconds(15));
    }

    @Benchmark
    public void leaderRound() {
        engine.tick();
    }
}

package io.understudy.engine;

import io.understudy.drivers.Drivers;
import io.understudy.drivers.PowerDriver;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.ClusterState;
import io.understudy.state.Job;
import io.understudy.state.LocalStateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A simulated data center under a running engine, on a driven clock, with a direct executor: every test run is
 * the same. After each advance it checks invariant 1 against the simulator's truth.
 */
final class SimFixture {
    final DrivenScheduler clock = new DrivenScheduler();
    final LocalStateStore store = new LocalStateStore();
    final SimDataCenter sim;
    final Engine engine;
    final DataCenterConfig config;

    SimFixture() {
        this(DemoDataCenter.build(4), SimTimings.FAST);
    }

    SimFixture(DataCenterConfig config, SimTimings timings) {
        this(config, timings, (sim, clock) -> sim);
    }

    /** With the BMCs {@code bmcs} makes of the simulator's (slow ones, busy ones) in front of every server. */
    SimFixture(DataCenterConfig config, SimTimings timings, java.util.function.BiFunction<SimDataCenter, DrivenScheduler, PowerDriver> bmcs) {
        this(config, timings, bmcs, sim -> sim);
    }

    /** With the identity driver {@code identity} makes of the simulator's (real agents instead of bays, {@link OsAgents}). */
    SimFixture(DataCenterConfig config, SimTimings timings, java.util.function.BiFunction<SimDataCenter, DrivenScheduler, PowerDriver> bmcs,
               Function<SimDataCenter, io.understudy.drivers.IdentityDriver> identity) {
        this(config, timings, bmcs, identity, sim -> sim);
    }

    /** With the workload driver {@code workload} makes of the simulator's (one that fails on purpose). */
    SimFixture(DataCenterConfig config, SimTimings timings, java.util.function.BiFunction<SimDataCenter, DrivenScheduler, PowerDriver> bmcs,
               Function<SimDataCenter, io.understudy.drivers.IdentityDriver> identity, Function<SimDataCenter, io.understudy.drivers.WorkloadDriver> workload) {
        this(config, timings, bmcs, identity, workload, pair -> pair);
    }

    /** With the pair driver {@code pair} makes of the simulator's (lockstep members that say what a test scripts). */
    SimFixture(DataCenterConfig config, SimTimings timings, java.util.function.BiFunction<SimDataCenter, DrivenScheduler, PowerDriver> bmcs,
               Function<SimDataCenter, io.understudy.drivers.IdentityDriver> identity, Function<SimDataCenter, io.understudy.drivers.WorkloadDriver> workload,
               java.util.function.UnaryOperator<io.understudy.drivers.PairDriver> pair) {
        this.config = config;
        sim = new SimDataCenter(config, clock, timings);
        var identities = identity.apply(sim);
        var workloads = workload.apply(sim);
        engine = new Engine(store, new Drivers(Map.of("sim", bmcs.apply(sim, clock)), identities, workloads, sim)
                .withPair(pair.apply(new io.understudy.drivers.SimPair(workloads, identities))), clock, EngineSettings.DEFAULTS, Runnable::run, EngineListener.NONE);
        sim.addListener(engine.detector());
        var r = store.submit(new ApplyConfig(config, "test", clock.now()));
        if (!r.ok()) throw new IllegalStateException(r.message());
        store.announceLeadership();
        sim.start();
    }

    /** Lets the detector observe every server (cold spares are probed once their silence exceeds the timeout). */
    SimFixture settled() {
        run(Duration.ofSeconds(12));
        return this;
    }

    void run(Duration d) {
        Duration step = Duration.ofMillis(100);
        for (Duration done = Duration.ZERO; done.compareTo(d) < 0; done = done.plus(step)) {
            clock.advance(step);
            assertSplitBrainFree();
        }
    }

    boolean runUntil(java.util.function.BooleanSupplier condition, Duration limit) {
        Duration step = Duration.ofMillis(100);
        for (Duration done = Duration.ZERO; done.compareTo(limit) < 0; done = done.plus(step)) {
            if (condition.getAsBoolean()) return true;
            clock.advance(step);
            assertSplitBrainFree();
        }
        return condition.getAsBoolean();
    }

    /** Invariant 1: no profile's identity is live on two servers at once. */
    void assertSplitBrainFree() {
        for (var p : config.profiles()) {
            List<String> holders = sim.holders(p.id());
            if (holders.size() > 1) throw new AssertionError("split brain at " + clock.now() + ": " + p.id() + " live on " + holders);
        }
    }

    void fail(String server, Fault f) {
        sim.inject(server, f);
    }

    <T> T read(Function<ClusterState, T> f) {
        return store.read(f);
    }

    List<Job> jobs() {
        return read(s -> List.copyOf(s.jobs()));
    }

    Job job(long id) {
        return read(s -> s.job(id));
    }

    Job onlyJob() {
        List<Job> all = jobs();
        if (all.size() != 1) throw new AssertionError("expected one job, got " + all);
        return all.get(0);
    }

    io.understudy.model.ServerState stateOf(String server) {
        return read(s -> s.server(server).state());
    }

    String reasonOf(String server) {
        return read(s -> s.server(server).reason());
    }

    java.util.Optional<io.understudy.state.Alarm> alarm(io.understudy.state.AlarmType type, String subject) {
        return read(s -> s.openAlarm(type, subject));
    }

    String serverOf(String profile) {
        return read(s -> s.profile(profile).server());
    }
}

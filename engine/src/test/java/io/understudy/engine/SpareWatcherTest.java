package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.drivers.IdentityDriver;
import io.understudy.model.ServerState;
import io.understudy.model.config.ProfileSpec;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.SimDataCenter;
import io.understudy.sim.SimTimings;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.LocalStateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A hot spare whose agent heartbeats but does not take orders (a blocked port, a wrong secret) is found before a
 * failover needs it: spare-agent-unreachable is raised, and cleared once orders get through again.
 */
class SpareWatcherTest {

    @Test
    void aSpareThatHeartbeatsButTakesNoOrders_isAlarmed_andClearedWhenItAnswersAgain() {
        DrivenScheduler clock = new DrivenScheduler();
        LocalStateStore store = new LocalStateStore();
        var config = DemoDataCenter.build(4);
        SimDataCenter sim = new SimDataCenter(config, clock, SimTimings.FAST);
        AtomicBoolean deaf = new AtomicBoolean();
        // The simulator's agent of dl-s1, with its order port closed while `deaf` is set; heartbeats are untouched.
        IdentityDriver identity = new IdentityDriver() {
            @Override
            public void assign(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                check(server);
                sim.assign(server, profile, ctx);
            }

            @Override
            public void release(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                check(server);
                sim.release(server, profile, ctx);
            }

            @Override
            public boolean holds(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                check(server);
                return sim.holds(server, profile, ctx);
            }

            private void check(String server) throws DriverException {
                if (deaf.get() && server.equals("dl-s1")) throw new DriverException(DriverException.Kind.UNREACHABLE, "connection refused");
            }
        };
        Engine engine = new Engine(store, new Drivers(Map.of("sim", sim), identity, sim), clock, EngineSettings.DEFAULTS, Runnable::run, EngineListener.NONE);
        sim.addListener(engine.detector());
        store.submit(new ApplyConfig(config, "test", clock.now()));
        store.announceLeadership();
        sim.start();
        clock.advance(Duration.ofSeconds(12));
        assertThat(state(store)).isEqualTo(ServerState.RUNNING);
        assertThat(alarm(store)).isEmpty();

        deaf.set(true);
        clock.advance(SpareWatcher.EVERY.plusSeconds(1));
        Alarm alarm = alarm(store).orElseThrow();
        assertThat(alarm.text()).contains("heartbeats but its agent does not take orders").contains("connection refused");
        assertThat(state(store)).as("its heartbeats still count").isEqualTo(ServerState.RUNNING);

        deaf.set(false);
        clock.advance(SpareWatcher.EVERY.plusSeconds(1));
        assertThat(alarm(store)).isEmpty();
    }

    private static ServerState state(LocalStateStore store) {
        return store.read(s -> s.server("dl-s1").state());
    }

    private static java.util.Optional<Alarm> alarm(LocalStateStore store) {
        return store.read(s -> s.openAlarm(AlarmType.SPARE_AGENT_UNREACHABLE, "dl-s1"));
    }
}

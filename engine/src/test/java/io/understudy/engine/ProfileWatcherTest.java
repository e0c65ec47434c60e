package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.IdentityDriver;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.EventHandling;
import io.understudy.model.config.ProfileSpec;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A profile recorded on a server that came back from a power cycle without a failover: with agents in the OS
 * ({@link OsAgents}, the simulator's identities lapsing with power) the server boots without its aliases, reports so
 * with its heartbeats, and the control plane brings the profile up there again — backing off and stopping at the cap.
 */
class ProfileWatcherTest {
    private static final Set<String> HOT = Set.of("dl-1", "dl-2", "dl-3", "dl-4", "dl-s1", "dl-s2");

    /** The demo with the hot group only alerting (no failover) and the given retry back-off and cap. */
    private static DataCenterConfig alertOnly(Duration backoff, int limit) {
        return DataCenters.withPolicy(DataCenters.demo(), "hot",
                p -> DataCenters.policy(p).events(EventHandling.ALERT_ONLY).build().withRetries(backoff, limit, Duration.ofHours(1)));
    }

    private static SimFixture fixture(DataCenterConfig dc, Function<OsAgents, IdentityDriver> identity) {
        SimFixture f = new SimFixture(dc, SimTimings.FAST, (sim, clock) -> sim, sim -> identity.apply(new OsAgents(sim, HOT)));
        f.sim.identitiesLapseWhenOff();
        return f.settled();
    }

    private static long broughtUp(SimFixture f, String profile) {
        return f.engine.decisions().about(profile).stream().filter(d -> d.text().contains("started again on")).count();
    }

    /**
     * Found by the fault campaign (seed 2): a server whose profile never moved came back from a power loss without
     * its aliases, and nothing applied them again; the profile stayed down while the state had it running there.
     */
    @Test
    void serverBackFromAPowerCycleWithoutFailoverNeverGotItsProfileBack() {
        SimFixture f = fixture(alertOnly(Duration.ofSeconds(5), 3), a -> a);
        f.run(Duration.ofSeconds(10));
        assertThat(broughtUp(f, "web-1")).as("nothing done while dl-1 holds web-1").isZero();

        f.fail("dl-1", Fault.POWER_LOSS);
        f.run(Duration.ofSeconds(3));
        f.sim.repair("dl-1");
        assertThat(f.runUntil(() -> f.sim.holders("web-1").equals(List.of("dl-1")) && f.sim.view("dl-1").workloadRunning(),
                Duration.ofMinutes(1))).as("web-1 up on dl-1 again").isTrue();

        assertThat(f.jobs()).as("no failover: the group only alerts").isEmpty();
        assertThat(f.serverOf("web-1")).isEqualTo("dl-1");
        assertThat(f.engine.decisions().about("web-1")).anySatisfy(d -> assertThat(d.text())
                .contains("web-1 is recorded on dl-1, but its agent reports 198.18.")
                .contains("identity applied and workload started again on dl-1 (attempt 1 of at most 3"));
        f.run(Duration.ofSeconds(30));
        assertThat(broughtUp(f, "web-1")).as("once, then dl-1 reports holding it").isEqualTo(1);
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "web-1")).isEmpty();
    }

    /** An agent that keeps losing the identity: attempts back off, stop at retryLimit, and say so with an alarm. */
    @Test
    void agentThatNeverKeepsTheIdentity_stopsAtTheCapWithAnAlarm() {
        List<String> orders = new CopyOnWriteArrayList<>();
        boolean[] works = {false};
        SimFixture f = fixture(alertOnly(Duration.ofSeconds(4), 3), agents -> new IdentityDriver() {
            @Override
            public void assign(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                orders.add(server);
                if (works[0] || !server.equals("dl-2")) agents.assign(server, profile, ctx);
            }

            @Override
            public void release(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                agents.release(server, profile, ctx);
            }

            @Override
            public boolean holds(String server, ProfileSpec profile, CallContext ctx) throws DriverException {
                return agents.holds(server, profile, ctx);
            }

            @Override
            public boolean lapsesWhenOff(String server) {
                return agents.lapsesWhenOff(server);
            }
        });
        f.fail("dl-2", Fault.POWER_LOSS);
        f.run(Duration.ofSeconds(3));
        f.sim.repair("dl-2");
        f.run(Duration.ofMinutes(3));

        // Back-off 4 s, 8 s, 16 s: three attempts within three minutes, then none.
        assertThat(orders).containsExactly("dl-2", "dl-2", "dl-2");
        var alarm = f.alarm(AlarmType.PROFILE_DOWN, "web-2").orElseThrow();
        assertThat(alarm.text()).contains("web-2 is recorded on dl-2, which runs without its identity").contains("after 3 attempts");
        assertThat(f.sim.holders("web-2")).isEmpty();
        assertThat(f.jobs()).isEmpty();

        // Someone gives dl-2 the identity by hand: its reports say so, and the alarm clears.
        ProfileSpec web2 = f.config.profiles().stream().filter(p -> p.id().equals("web-2")).findFirst().orElseThrow();
        assertThat(f.runUntil(() -> {
            try {
                f.sim.assign("dl-2", web2, CallContext.probe(f.store.term()));
            } catch (DriverException e) {
                throw new AssertionError(e);
            }
            return f.alarm(AlarmType.PROFILE_DOWN, "web-2").isEmpty();
        }, Duration.ofSeconds(10))).as("profile-down cleared once dl-2 holds web-2").isTrue();
        assertThat(orders).hasSize(3);
    }

    /** A failover's target holds the profile when the job ends: the watcher has nothing to do after it. */
    @Test
    void afterAFailover_nothingIsBroughtUpAgain() {
        DataCenterConfig dc = DataCenters.demo();
        SimFixture f = fixture(dc, a -> a);
        f.fail("dl-3", Fault.CRASH);
        assertThat(f.runUntil(() -> f.jobs().size() == 1 && !f.onlyJob().active(), Duration.ofMinutes(2))).isTrue();
        assertThat(f.onlyJob().status()).as(f.onlyJob().message()).isEqualTo(Job.Status.SUCCEEDED);
        f.run(Duration.ofSeconds(30));
        assertThat(broughtUp(f, "web-3")).isZero();
        assertThat(f.sim.holders("web-3")).containsExactly(f.onlyJob().target());
    }

    /** Ordered boot with agents in the OS: web-1 starts after web-2; both servers come back, web-1's first. */
    @Test
    void twoServersBackWithoutTheirIdentities_theFollowerIsBroughtUpOnlyAfterWhatItFollows() {
        DataCenterConfig dc = DataCenters.withPolicy(DataCenters.withProfile(alertOnly(Duration.ofSeconds(5), 3), "web-1",
                p -> p.withAfter(List.of("web-2"))), "hot", p -> DataCenters.policy(p).boot(Duration.ofSeconds(20)).build());
        SimFixture f = fixture(dc, a -> a);
        f.fail("dl-1", Fault.POWER_LOSS);
        f.fail("dl-2", Fault.POWER_LOSS);
        f.run(Duration.ofSeconds(3));
        f.sim.repair("dl-1");
        assertThat(f.runUntil(() -> f.engine.decisions().about("web-1").stream().anyMatch(d -> d.text().contains("waiting for web-2")),
                Duration.ofMinutes(1))).isTrue();
        f.run(Duration.ofSeconds(30));
        assertThat(f.sim.view("dl-1").workloadRunning()).as("web-1 waits while web-2's server is down").isFalse();
        assertThat(f.alarm(AlarmType.BOOT_ORDER_WAITING, "web-1").orElseThrow().text()).contains("waiting for web-2");
        assertThat(broughtUp(f, "web-1")).isZero();

        f.sim.repair("dl-2");
        assertThat(f.runUntil(() -> f.sim.view("dl-1").workloadRunning() && f.sim.view("dl-2").workloadRunning(), Duration.ofMinutes(1))).isTrue();
        var starts = f.sim.hardwareLog().events().stream().filter(e -> e.kind().equals(io.understudy.sim.HardwareEvent.WORKLOAD_ON))
                .map(io.understudy.sim.HardwareEvent::profile).toList();
        assertThat(starts.lastIndexOf("web-1")).isGreaterThan(starts.lastIndexOf("web-2"));
        assertThat(f.alarm(AlarmType.PROFILE_DOWN, "web-1")).as("waiting took none of its attempts").isEmpty();
        assertThat(f.alarm(AlarmType.BOOT_ORDER_WAITING, "web-1")).as("raised past the boot timeout, cleared once it started").isEmpty();
    }
}

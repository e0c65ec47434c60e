package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerReading;
import io.understudy.model.ServerState;
import io.understudy.sim.DemoDataCenter;
import io.understudy.sim.Fault;
import io.understudy.sim.SimTimings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The detector asks a late server's BMC before its failure timeout runs out, so the verdict does not wait for it. */
class DetectorAskAheadTest {

    /**
     * Regression: a silent server's BMC was first asked when its failure timeout ran out, and the verdict waited for
     * that answer (a round and a BMC round trip, ~70 ms of the preloaded outage with ipmitool). The BMC is now asked
     * once the server has missed two heartbeats, and asked only once for that silence before it becomes a suspect.
     */
    @Test
    void bmcAskedOnlyWhenTheFailureTimeoutRanOut() {
        List<Instant> reads = new CopyOnWriteArrayList<>();
        SimFixture f = new SimFixture(DemoDataCenter.build(4), SimTimings.FAST, (sim, clock) -> new PowerDriver() {
            @Override
            public void powerOff(String server, CallContext ctx) throws DriverException {
                sim.powerOff(server, ctx);
            }

            @Override
            public void powerOn(String server, CallContext ctx) throws DriverException {
                sim.powerOn(server, ctx);
            }

            @Override
            public PowerReading read(String server, CallContext ctx) throws DriverException {
                if (server.equals("dl-1")) reads.add(clock.now());
                return sim.read(server, ctx);
            }
        }).settled();
        var policy = f.config.groupOf("dl-1").orElseThrow().policy();
        reads.clear();
        Instant crashed = f.clock.now();
        f.fail("dl-1", Fault.HANG);
        assertThat(f.runUntil(() -> f.read(s -> s.server("dl-1").state()) != ServerState.RUNNING, Duration.ofSeconds(10))).isTrue();

        Instant timeout = crashed.plus(policy.failureTimeout());
        assertThat(reads).as("BMC reads of dl-1 after it fell silent").isNotEmpty();
        assertThat(reads.get(0)).as("first read").isBefore(timeout);
        assertThat(reads.stream().filter(t -> t.isBefore(timeout)).count()).as("reads before the timeout").isEqualTo(1);
    }
}

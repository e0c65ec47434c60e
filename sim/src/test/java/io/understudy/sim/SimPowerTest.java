package io.understudy.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.PowerReading;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimPowerTest {

    /** Regression: a power-on ordered again while the first was under way restarted it, so the server never came on. */
    @Test
    void powerOn_repeatedWhilePoweringOn_stillPowersOnAfterTheDelay() throws Exception {
        DrivenScheduler clock = new DrivenScheduler();
        SimDataCenter sim = new SimDataCenter(DemoDataCenter.build(2), clock, SimTimings.DEFAULTS);
        CallContext ctx = CallContext.probe(1);
        assertThat(sim.read("bl-s1", ctx).power()).isEqualTo(PowerReading.Power.OFF);
        for (int i = 0; i < 5; i++) {
            sim.powerOn("bl-s1", ctx);
            clock.advance(Duration.ofMillis(200));
        }
        assertThat(sim.read("bl-s1", ctx).power()).isEqualTo(PowerReading.Power.ON);
    }

    @Test
    void powerOff_withStuckPower_neverReadsOff() throws Exception {
        DrivenScheduler clock = new DrivenScheduler();
        SimDataCenter sim = new SimDataCenter(DemoDataCenter.build(2), clock, SimTimings.DEFAULTS);
        sim.inject("dl-1", Fault.STUCK_POWER);
        sim.powerOff("dl-1", CallContext.probe(1));
        clock.advance(Duration.ofMinutes(5));
        assertThat(sim.read("dl-1", CallContext.probe(1)).power()).isEqualTo(PowerReading.Power.ON);
    }

    /**
     * Found by InvariantProperties (seed 2999456811862124396): a server repaired just before its fence was powering
     * on; the power-off found it "not powered" and did nothing, the fence read off, and the server then booted into
     * its identity while its profile ran on the spare.
     */
    @Test
    void fenceDuringPowerOnLeftTheServerBooting() throws Exception {
        DrivenScheduler clock = new DrivenScheduler();
        SimDataCenter sim = new SimDataCenter(DemoDataCenter.build(2), clock, SimTimings.FAST);
        sim.adopt(java.util.Map.of("web-1", "dl-1"), java.util.Set.of());
        sim.start();
        clock.advance(Duration.ofSeconds(10));
        sim.inject("dl-1", Fault.CRASH);
        sim.repair("dl-1");                       // power cycle: powering on now
        CallContext ctx = CallContext.probe(1);
        sim.powerOff("dl-1", ctx);                // the fence's order, while it powers on
        assertThat(sim.read("dl-1", ctx).power()).isEqualTo(PowerReading.Power.OFF);
        clock.advance(Duration.ofSeconds(30));    // well past power-on and boot
        assertThat(sim.read("dl-1", ctx).power()).as("a fenced server stays off").isEqualTo(PowerReading.Power.OFF);
        assertThat(sim.holders("web-1")).isEmpty();
    }

    /**
     * Found by the fault campaign (seed 2): sim-dc kept a failed-over server's identity at its bay while the control
     * plane, talking to networked agents, took it to lapse with power and withdrew nothing. Repaired, the server
     * booted back into its profile while the profile ran on the spare (split brain). Served over the network, the
     * simulator's identities now live in the OS: power-off takes them.
     */
    @Test
    void repairedServerBootedIntoAnIdentityThatHadMovedOn() throws Exception {
        DrivenScheduler clock = new DrivenScheduler();
        SimDataCenter sim = new SimDataCenter(DemoDataCenter.build(2), clock, SimTimings.FAST).identitiesLapseWhenOff();
        sim.start();
        CallContext ctx = CallContext.probe(1);
        assertThat(sim.holders("web-1")).containsExactly("dl-1");
        sim.inject("dl-1", Fault.POWER_LOSS);
        assertThat(sim.holders("web-1")).isEmpty();
        sim.repair("dl-1");
        clock.advance(Duration.ofMinutes(2));     // well past power-on and boot
        assertThat(sim.read("dl-1", ctx).power()).isEqualTo(PowerReading.Power.ON);
        assertThat(sim.holders("web-1")).as("booted without the identity it had").isEmpty();
        assertThat(sim.lapsesWhenOff("dl-1")).isTrue();
    }
}

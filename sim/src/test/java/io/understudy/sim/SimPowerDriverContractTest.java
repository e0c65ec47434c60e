package io.understudy.sim;

import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerDriverContract;
import io.understudy.testkit.DrivenScheduler;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/** The power-driver contract for the simulator's own BMCs (prompt, slow or busy as a test asks), on a driven clock. */
class SimPowerDriverContractTest extends PowerDriverContract {
    DrivenScheduler clock;
    SimDataCenter sim;
    AwkwardBmc bmcs;

    @BeforeEach
    void build() {
        clock = new DrivenScheduler();
        sim = new SimDataCenter(TinyDataCenter.build(), clock, SimTimings.FAST);
        bmcs = new AwkwardBmc(sim, clock);
    }

    /** The simulator's BMCs, prompt unless a test makes them awkward. */
    @Override
    protected PowerDriver driver() {
        return bmcs;
    }

    @Override
    protected void makeSlow(Duration time) {
        bmcs.mode(AwkwardBmc.Mode.RESTARTS, time);
    }

    @Override
    protected void makeBusy(Duration time) {
        bmcs.mode(AwkwardBmc.Mode.BUSY, time);
    }

    @Override
    protected int orders() {
        return bmcs.orders(server());
    }

    @Override
    protected String server() {
        return "srv-1";
    }

    @Override
    protected PowerDriver unreachable() {
        sim.inject("srv-1", Fault.BMC_DOWN);
        return bmcs;
    }

    @Override
    protected PowerDriver wrongPassword() {
        return null;
    }

    @Override
    protected String password() {
        return null;
    }

    @Override
    protected void makeStuck() {
        sim.inject("srv-1", Fault.STUCK_POWER);
    }

    @Override
    protected void letTimePass() {
        clock.advance(Duration.ofMillis(100));
    }
}

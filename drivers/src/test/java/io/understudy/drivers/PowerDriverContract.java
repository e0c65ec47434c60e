package io.understudy.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@link PowerDriver} contract, run against every implementation: the simulator, Redfish (against the
 * simulator's Redfish service over pinned HTTPS), IPMI (against ipmi_sim) and fence agents (fence_ipmilan against
 * ipmi_sim). Each starts with the server powered on. Real BMCs are awkward, and the suite makes its BMC so where
 * the peer allows: power actions that take seconds and start over on each new order, and a BMC that answers
 * "operation in progress" while one runs.
 */
public abstract class PowerDriverContract {
    /** The driver under test, for a reachable BMC with the right credentials. */
    protected abstract PowerDriver driver() throws Exception;

    protected abstract String server();

    /** The same kind of driver pointed at an endpoint where nothing answers. */
    protected abstract PowerDriver unreachable() throws Exception;

    /** The driver with a wrong password; null where the implementation has no credentials (the simulator). */
    protected abstract PowerDriver wrongPassword() throws Exception;

    /** The configured password, which must never show in a message; null where there is none. */
    protected abstract String password();

    /** From now on the BMC accepts power orders and does nothing. */
    protected abstract void makeStuck() throws Exception;

    /** Lets the BMC's time pass: a driven clock advances, a real peer is given 100 ms. */
    protected abstract void letTimePass() throws Exception;

    /** From now on each power action takes {@code time} and a new order starts it over; skips where the peer cannot. */
    protected void makeSlow(Duration time) throws Exception {
        Assumptions.abort("this BMC peer cannot be made slow");
    }

    /** From now on each power action takes {@code time} and an order meanwhile is answered busy; skips where the peer cannot. */
    protected void makeBusy(Duration time) throws Exception {
        Assumptions.abort("this BMC peer cannot answer busy");
    }

    /** Power orders that reached the BMC so far (taken or answered busy). */
    protected int orders() throws Exception {
        Assumptions.abort("this BMC peer does not count orders");
        return -1;
    }

    /** How long a slow BMC's power action takes here: well within the 60 passes of time a test waits for power. */
    protected Duration slowAction() {
        return Duration.ofSeconds(3);
    }

    protected CallContext ctx() {
        return new CallContext(1, 1L, "fence");
    }

    private void awaitPower(PowerDriver d, PowerReading.Power want) throws Exception {
        for (int i = 0; i < 60; i++) {
            if (d.read(server(), ctx()).power() == want) return;
            letTimePass();
        }
        assertThat(d.read(server(), ctx()).power()).as("power after waiting").isEqualTo(want);
    }

    @Test
    void powerOff_thenReadsOff() throws Exception {
        PowerDriver d = driver();
        assertThat(d.read(server(), ctx()).power()).isEqualTo(PowerReading.Power.ON);
        d.powerOff(server(), ctx());
        awaitPower(d, PowerReading.Power.OFF);
    }

    @Test
    void powerOff_whenAlreadyOff_succeeds() throws Exception {
        PowerDriver d = driver();
        d.powerOff(server(), ctx());
        awaitPower(d, PowerReading.Power.OFF);
        d.powerOff(server(), ctx());
        letTimePass();
        assertThat(d.read(server(), ctx()).power()).isEqualTo(PowerReading.Power.OFF);
    }

    @Test
    void powerOn_afterOff_readsOn() throws Exception {
        PowerDriver d = driver();
        d.powerOff(server(), ctx());
        awaitPower(d, PowerReading.Power.OFF);
        d.powerOn(server(), ctx());
        awaitPower(d, PowerReading.Power.ON);
        d.powerOn(server(), ctx());
        assertThat(d.read(server(), ctx()).power()).isEqualTo(PowerReading.Power.ON);
    }

    /** The call ends with the kind that says so; how fast is for benchmarks (the timeout only guards a hang). */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void powerOff_unreachableBmc_isUnreachable() throws Exception {
        PowerDriver d = unreachable();
        DriverException e = catchThrowableOfType(DriverException.class, () -> d.powerOff(server(), ctx()));
        assertThat(e).as("power off through an unreachable BMC").isNotNull();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(DriverException.Kind.UNREACHABLE);
        assertNoPassword(e);
    }

    @Test
    void readAndPowerOff_wrongPassword_areAuthWithoutThePassword() throws Exception {
        PowerDriver d = wrongPassword();
        Assumptions.assumeTrue(d != null, "this implementation has no credentials");
        DriverException read = catchThrowableOfType(DriverException.class, () -> d.read(server(), ctx()));
        assertThat(read).isNotNull();
        assertThat(read.kind()).as(read.getMessage()).isEqualTo(DriverException.Kind.AUTH);
        assertNoPassword(read);
        DriverException off = catchThrowableOfType(DriverException.class, () -> d.powerOff(server(), ctx()));
        assertThat(off).isNotNull();
        assertThat(off.kind()).as(off.getMessage()).isEqualTo(DriverException.Kind.AUTH);
        assertNoPassword(off);
        assertThat(driver().read(server(), ctx()).power()).as("a refused order changes nothing").isEqualTo(PowerReading.Power.ON);
    }

    @Test
    void powerOff_stuckBmc_neverReadsOff() throws Exception {
        PowerDriver d = driver();
        makeStuck();
        try {
            d.powerOff(server(), ctx());
        } catch (DriverException e) {
            // An agent that waits for the power to drop may report the failure itself; either way it is not off.
            assertThat(e.kind()).isNotEqualTo(DriverException.Kind.AUTH);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(d.read(server(), ctx()).power()).as("reading %d after an order the BMC ignored", i).isEqualTo(PowerReading.Power.ON);
            letTimePass();
        }
    }

    @Test
    void powerOff_slowBmc_isOneOrder_andReadsOffOnceTheActionLands() throws Exception {
        PowerDriver d = driver();
        makeSlow(slowAction());
        int before = orders();
        d.powerOff(server(), ctx());
        // A driver that ordered again within the call would start a slow BMC's action over.
        assertThat(orders() - before).as("orders for one power-off call").isEqualTo(1);
        awaitPower(d, PowerReading.Power.OFF);
        assertThat(orders() - before).as("orders once off").isEqualTo(1);
    }

    @Test
    void powerOn_slowBmc_isOneOrder_andReadsOnOnceTheActionLands() throws Exception {
        PowerDriver d = driver();
        d.powerOff(server(), ctx());
        awaitPower(d, PowerReading.Power.OFF);
        makeSlow(slowAction());
        int before = orders();
        d.powerOn(server(), ctx());
        assertThat(orders() - before).as("orders for one power-on call").isEqualTo(1);
        awaitPower(d, PowerReading.Power.ON);
        assertThat(orders() - before).as("orders once on").isEqualTo(1);
    }

    @Test
    void powerOff_busyBmc_isBusy_neverRefused() throws Exception {
        PowerDriver d = driver();
        makeBusy(slowAction());
        d.powerOff(server(), ctx());
        // A second order while the first runs: "operation in progress" is a reason to wait, not to give up.
        DriverException e = catchThrowableOfType(DriverException.class, () -> d.powerOff(server(), ctx()));
        if (e != null) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(DriverException.Kind.BUSY);
            assertNoPassword(e);
        }
        awaitPower(d, PowerReading.Power.OFF);
    }

    @Test
    void powerOn_busyBmc_isBusy_neverRefused() throws Exception {
        PowerDriver d = driver();
        d.powerOff(server(), ctx());
        awaitPower(d, PowerReading.Power.OFF);
        makeBusy(slowAction());
        d.powerOn(server(), ctx());
        DriverException e = catchThrowableOfType(DriverException.class, () -> d.powerOn(server(), ctx()));
        if (e != null) assertThat(e.kind()).as(e.getMessage()).isEqualTo(DriverException.Kind.BUSY);
        awaitPower(d, PowerReading.Power.ON);
    }

    @Test
    void check_reachableBmc_passesEveryStage() throws Exception {
        BmcCheck c = driver().check(server(), ctx());
        assertThat(c.ok()).as(c.toString()).isTrue();
        assertThat(c.stages()).last().extracting(BmcCheck.Stage::name).isEqualTo("read power state");
        assertThat(c.stages().get(c.stages().size() - 1).detail()).contains("power on");
    }

    @Test
    void check_unreachableBmc_failsAtReach() throws Exception {
        BmcCheck c = unreachable().check(server(), ctx());
        assertThat(c.ok()).isFalse();
        BmcCheck.Stage last = c.stages().get(c.stages().size() - 1);
        assertThat(last.ok()).isFalse();
        assertThat(last.kind()).isEqualTo(DriverException.Kind.UNREACHABLE);
    }

    /** Issue 11: "log in" may pass only once the credentials were tried; a wrong password fails there, not later. */
    @Test
    void checkSaidLogInOkBeforeTryingCredentials_wrongPassword_failsAtLogIn() throws Exception {
        PowerDriver d = wrongPassword();
        Assumptions.assumeTrue(d != null, "this implementation has no credentials");
        BmcCheck c = d.check(server(), ctx());
        assertThat(c.stages()).as(c.toString()).extracting(BmcCheck.Stage::name).containsExactly("reach", "log in");
        assertThat(c.stages()).extracting(BmcCheck.Stage::ok).containsExactly(true, false);
        assertThat(c.stages().get(1).kind()).isEqualTo(DriverException.Kind.AUTH);
        if (password() != null) assertThat(c.stages().get(1).detail()).doesNotContain(password());
    }

    private void assertNoPassword(DriverException e) {
        String pw = password();
        if (pw == null) return;
        assertThat(e.getMessage()).doesNotContain(pw);
        assertThat(String.valueOf(e)).doesNotContain(pw);
    }
}

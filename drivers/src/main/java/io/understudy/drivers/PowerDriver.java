package io.understudy.drivers;

/**
 * Power control and fencing through a server's BMC.
 *
 * <p>Contract for every implementation (the contract test suite {@code PowerDriverContract} checks it against the
 * simulator, Redfish, IPMI and fence agents):
 * <ul>
 *   <li><b>Atomicity.</b> Each call is one order to the BMC (or one read); a call that throws may or may not have
 *       reached the BMC, so callers repeat it rather than assume either way.</li>
 *   <li>{@link #powerOff} is a hard power-off ("press and hold"); it returns once the BMC accepted the order and
 *       need not wait for the server to be off. It is idempotent: ordering an off server off succeeds.</li>
 *   <li>Nothing counts as fenced until {@link #read} returns {@code OFF}: a BMC that accepts an order and does
 *       nothing must not fence anything. Callers read back; drivers never report "off" they have not read, and a
 *       state in transition ("powering off") reads {@code ON}.</li>
 *   <li>{@link #powerOn} is idempotent likewise.</li>
 *   <li><b>Timeouts.</b> Each call is bounded by the driver's own timeout (the BMC's {@code timeout} setting,
 *       retries included) and never blocks longer.</li>
 *   <li><b>Errors</b> are {@link DriverException}s whose kind tells apart a BMC that does not answer
 *       ({@code UNREACHABLE}), refused credentials or an untrusted certificate ({@code AUTH}), a call that ran out
 *       of time ({@code TIMEOUT}), an order the BMC refused ({@code REFUSED}) and any other error
 *       ({@code FAILED}). A BMC busy with an earlier action ("operation in progress", "node busy") is
 *       {@code BUSY}: the order was not taken, and the caller asks again later, not at once. understudy never
 *       puts credentials in messages, logs or command lines.</li>
 *   <li><b>One order per call.</b> A driver never repeats an order itself within a call (only a try that got no
 *       answer): many BMCs restart a power action on each new order, so a repeated order can keep a server from
 *       ever reaching the state asked for. Pacing orders is the caller's job.</li>
 * </ul>
 */
public interface PowerDriver {
    void powerOff(String server, CallContext ctx) throws DriverException;

    void powerOn(String server, CallContext ctx) throws DriverException;

    PowerReading read(String server, CallContext ctx) throws DriverException;

    /**
     * Tries the BMC stage by stage — reach it, log in, read the power state — and says which stage failed and why.
     * Changes nothing. Drivers that cannot tell the stages apart report what they can.
     */
    default BmcCheck check(String server, CallContext ctx) {
        try {
            PowerReading r = read(server, ctx);
            return new BmcCheck(java.util.List.of(BmcCheck.Stage.ok("read power state", BmcCheck.describe(r))));
        } catch (DriverException e) {
            return new BmcCheck(java.util.List.of(BmcCheck.Stage.failed("read power state", e)));
        }
    }
}

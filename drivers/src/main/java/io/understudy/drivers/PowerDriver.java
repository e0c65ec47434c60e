package io.understudy.drivers;

/**
 * Power control and fencing through a server's BMC.
 *
 * <p>Contract for every implementation (the contract test suite checks it):
 * <ul>
 *   <li>{@link #powerOff} is a hard power-off ("press and hold"); it returns once the BMC accepted the order and
 *       does not wait for the server to be off. It is idempotent: ordering an off server off succeeds.</li>
 *   <li>Nothing counts as fenced until {@link #read} returns {@code OFF}: a BMC that accepts an order and does
 *       nothing must not fence anything. Callers read back; drivers never report "off" they have not read.</li>
 *   <li>{@link #powerOn} is idempotent likewise.</li>
 *   <li>Each call is bounded by the driver's own timeout and throws {@link DriverException} with a kind that tells
 *       unreachable, wrong credentials and timeout apart. Credentials never appear in messages or logs.</li>
 * </ul>
 */
public interface PowerDriver {
    void powerOff(String server, CallContext ctx) throws DriverException;

    void powerOn(String server, CallContext ctx) throws DriverException;

    PowerReading read(String server, CallContext ctx) throws DriverException;
}

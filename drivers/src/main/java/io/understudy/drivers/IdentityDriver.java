package io.understudy.drivers;

import io.understudy.model.config.ProfileSpec;

/**
 * Moves a profile's portable identity (hostname, alias addresses with gratuitous ARP, MACs, WWNs).
 *
 * <p>{@link #assign} gives a server the identity: on a powered-off server it takes effect at boot (as a blade's
 * server profile does); on a running server its agent applies it at once, without reboot, and refuses to rewrite a
 * boot-from-SAN port ({@link DriverException.Kind#REFUSED}). {@link #release} takes it away. Both are idempotent.
 * {@link #holds} reports what the server itself says it holds.
 */
public interface IdentityDriver {
    void assign(String server, ProfileSpec profile, CallContext ctx) throws DriverException;

    void release(String server, ProfileSpec profile, CallContext ctx) throws DriverException;

    boolean holds(String server, ProfileSpec profile, CallContext ctx) throws DriverException;

    /**
     * Whether the server's identity lives in its running OS (an agent's alias addresses), so that powering it off
     * takes the identity with it and there is nothing to withdraw from a fenced server; false where the identity is
     * kept outside the OS (an enclosure's bay profile) and must be withdrawn even from a server that is off.
     */
    default boolean lapsesWhenOff(String server) {
        return false;
    }
}

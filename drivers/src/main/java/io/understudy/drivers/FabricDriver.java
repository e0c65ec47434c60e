package io.understudy.drivers;

import io.understudy.model.config.FcPort;
import io.understudy.model.config.ServerSpec;
import java.util.List;
import java.util.Map;

/**
 * Gives a bay a profile's Fibre Channel addresses (WWPN, WWNN), for enclosures that assign them themselves (HPE
 * Virtual Connect, a UCS service profile): the addresses belong to the bay, not to the server's OS, and the server
 * logs in with them at its next boot. It is the only way a boot-from-SAN port moves — an agent never rewrites one.
 *
 * <p>Contract, for every implementation: {@link #assign} and {@link #release} are idempotent and act on the bay
 * whatever the server's power (the enclosure's manager answers while the server is off); an assignment takes effect at
 * the server's next power-on, so callers assign before they power on. Each call returns within the driver's own
 * timeout or throws {@link DriverException.Kind#TIMEOUT}; a manager that cannot be reached throws UNREACHABLE; a WWPN
 * the fabric already gives another bay throws CONFLICT and changes nothing; an order from an older Raft term than the
 * manager has seen throws REFUSED.
 */
public interface FabricDriver {
    /** Gives the server's bay these ports (and takes from it any other port of the same names). */
    void assign(ServerSpec server, List<FcPort> ports, CallContext ctx) throws DriverException;

    /** Takes these ports from the server's bay; ports it does not have are ignored. */
    void release(ServerSpec server, List<FcPort> ports, CallContext ctx) throws DriverException;

    /** The ports the server's bay has now, as its manager reports them. */
    List<FcPort> assigned(ServerSpec server, CallContext ctx) throws DriverException;

    /**
     * Makes fabric drivers of one kind; found with {@link java.util.ServiceLoader} (a jar that lists its provider in
     * {@code META-INF/services/io.understudy.drivers.FabricDriver$Provider}), and chosen per enclosure by
     * {@link FabricDrivers}.
     */
    interface Provider {
        /** The name an enclosure's configuration chooses it by, e.g. {@code virtual-connect}. */
        String name();

        /** A driver for one enclosure manager, from its settings (endpoint, credentials file, …). */
        FabricDriver create(Map<String, String> settings) throws DriverException;
    }
}

package io.understudy.drivers;

import io.understudy.model.config.ServerSpec;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which {@link FabricDriver} serves each enclosure: an enclosure whose manager assigns FC addresses names a provider
 * and its settings; every other enclosure has none, and its servers' WWNs are left to their agents (NPIV) or refused.
 * There is deliberately no built-in provider: a driver that only pretends to talk to an enclosure would let a
 * failover report WWNs moved that no fabric ever saw.
 */
public final class FabricDrivers {
    /** No enclosure assigns addresses. */
    public static final FabricDrivers NONE = new FabricDrivers(Map.of());

    /** What one enclosure's configuration asks for: a provider by name, with its settings. */
    public record Choice(String provider, Map<String, String> settings) {
        public Choice {
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }

    private final Map<String, FabricDriver> byEnclosure;

    private FabricDrivers(Map<String, FabricDriver> byEnclosure) {
        this.byEnclosure = Map.copyOf(byEnclosure);
    }

    /** Chooses from the providers on the class path. */
    public static FabricDrivers load(Map<String, Choice> enclosures) throws DriverException {
        return choose(enclosures, ServiceLoader.load(FabricDriver.Provider.class));
    }

    /**
     * One driver per enclosure that names a provider.
     *
     * @throws DriverException FAILED naming the enclosure, the provider asked for and those available, when one is missing
     */
    public static FabricDrivers choose(Map<String, Choice> enclosures, Iterable<FabricDriver.Provider> providers) throws DriverException {
        Map<String, FabricDriver.Provider> byName = new TreeMap<>();
        for (FabricDriver.Provider p : providers) byName.put(p.name(), p);
        Map<String, FabricDriver> out = new TreeMap<>();
        for (var e : new TreeMap<>(enclosures).entrySet()) {
            FabricDriver.Provider p = byName.get(e.getValue().provider());
            if (p == null) {
                throw new DriverException(DriverException.Kind.FAILED, "enclosure " + e.getKey() + " asks for fabric driver '"
                        + e.getValue().provider() + "', which is not installed (available: " + new TreeSet<>(byName.keySet()) + ")");
            }
            out.put(e.getKey(), p.create(e.getValue().settings()));
        }
        return new FabricDrivers(out);
    }

    /** The driver of the server's enclosure; empty when that enclosure assigns no addresses. */
    public Optional<FabricDriver> forServer(ServerSpec server) {
        return Optional.ofNullable(byEnclosure.get(server.parsedLocation().enclosure()));
    }
}

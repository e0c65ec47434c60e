package io.understudy.drivers.redfish;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.HardwareEvents;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.ServerSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the EventService of every server whose BMC speaks Redfish, and reports their alerts as hardware
 * events, so a BMC's alarm fails a server without waiting for its heartbeats to stop. A BMC that offers no
 * EventService, or cannot be reached, is listed with the reason; heartbeats still cover it.
 */
public final class RedfishEventSubscriptions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedfishEventSubscriptions.class);

    private final RedfishEventReceiver receiver;
    private final Map<String, String> outcome = new LinkedHashMap<>();

    private RedfishEventSubscriptions(RedfishEventReceiver receiver) {
        this.receiver = receiver;
    }

    /**
     * Starts a receiver on {@code bind} and subscribes each Redfish server of {@code config}; returns null when no
     * server uses Redfish (no port is opened then).
     */
    public static RedfishEventSubscriptions start(DataCenterConfig config, InetSocketAddress bind, HardwareEvents sink,
                                                  Clock clock, long term) throws IOException {
        if (config.servers().stream().noneMatch(s -> "redfish".equals(s.bmc().driver()))) return null;
        RedfishEventSubscriptions subs = new RedfishEventSubscriptions(new RedfishEventReceiver(bind, sink, clock));
        for (ServerSpec s : config.servers()) {
            if (!"redfish".equals(s.bmc().driver())) continue;
            String result;
            try {
                result = new RedfishDriver(s.bmc()).subscribe(subs.receiver.destination(), subs.receiver.contextFor(s.id()),
                        CallContext.probe(term)).map(id -> "subscribed (" + id + ")").orElse("no EventService offered");
            } catch (DriverException e) {
                result = "not subscribed: " + e.getMessage();
                log.warn("Redfish events of {}: {}", s.id(), result);
            }
            subs.outcome.put(s.id(), result);
        }
        return subs;
    }

    /** For each Redfish server, whether its BMC now sends events here, or why not. */
    public Map<String, String> outcome() {
        return Map.copyOf(outcome);
    }

    @Override
    public void close() {
        receiver.close();
    }
}

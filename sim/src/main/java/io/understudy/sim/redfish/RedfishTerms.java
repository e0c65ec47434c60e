package io.understudy.sim.redfish;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fencing token a Redfish request acts under. understudy's driver sends its Raft term (the simulator refuses
 * orders from an older one); clients that know no terms — redfishtool, the IPMI bridge of tests — act, as on a
 * real BMC, regardless of terms: under the newest term the simulated server has seen.
 */
final class RedfishTerms {
    private static final Pattern SEEN = Pattern.compile("term (\\d+) seen");

    /** A simulator call made under a term. */
    @FunctionalInterface
    interface SimCall<T> {
        T run(CallContext ctx) throws DriverException;
    }

    private final Map<String, Long> newest = new ConcurrentHashMap<>();

    <T> T call(String header, String server, SimCall<T> call) throws DriverException {
        Long sent = parse(header);
        if (sent != null) {
            newest.merge(server, sent, Math::max);
            return call.run(ctx(sent));
        }
        try {
            return call.run(ctx(newest.getOrDefault(server, 0L)));
        } catch (DriverException e) {
            // The simulator saw a newer term through another door (the agent): adopt it, once.
            Matcher m = SEEN.matcher(e.getMessage());
            if (e.kind() != DriverException.Kind.REFUSED || !m.find()) throw e;
            long seen = Long.parseLong(m.group(1));
            newest.merge(server, seen, Math::max);
            return call.run(ctx(seen));
        }
    }

    private static CallContext ctx(long term) {
        return new CallContext(term, null, "redfish");
    }

    private static Long parse(String header) {
        if (header == null) return null;
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

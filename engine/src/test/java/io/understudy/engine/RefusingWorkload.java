package io.understudy.engine;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.config.ProfileSpec;
import io.understudy.sim.SimDataCenter;
import java.util.function.Predicate;

/** The simulator's workload driver, whose start or stop command fails (exits 1) on the servers a test names. */
final class RefusingWorkload implements WorkloadDriver {
    private final SimDataCenter sim;
    private volatile Predicate<String> refuseStart = s -> false;
    private volatile Predicate<String> refuseStop = s -> false;
    private volatile String why = "";

    RefusingWorkload(SimDataCenter sim) {
        this.sim = sim;
    }

    RefusingWorkload refuseStart(Predicate<String> servers, String why) {
        this.why = why;
        refuseStart = servers;
        return this;
    }

    RefusingWorkload refuseStop(Predicate<String> servers, String why) {
        this.why = why;
        refuseStop = servers;
        return this;
    }

    @Override
    public void start(String server, ProfileSpec p, CallContext ctx) throws DriverException {
        if (refuseStart.test(server)) throw new DriverException(DriverException.Kind.REFUSED, "start command exited 1: " + why);
        sim.start(server, p, ctx);
    }

    @Override
    public void stop(String server, ProfileSpec p, CallContext ctx) throws DriverException {
        if (refuseStop.test(server)) throw new DriverException(DriverException.Kind.REFUSED, "stop command exited 1: " + why);
        sim.stop(server, p, ctx);
    }

    @Override
    public Status monitor(String server, ProfileSpec p, CallContext ctx) throws DriverException {
        return sim.monitor(server, p, ctx);
    }
}

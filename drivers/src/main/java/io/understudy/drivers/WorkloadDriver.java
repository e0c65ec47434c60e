package io.understudy.drivers;

import io.understudy.model.config.ProfileSpec;

/**
 * Starts, stops and monitors a profile's workload through the server's agent, with OCF-like results.
 * start and stop are idempotent; monitor never changes anything.
 */
public interface WorkloadDriver {
    enum Status { RUNNING, NOT_RUNNING, FAILED }

    void start(String server, ProfileSpec profile, CallContext ctx) throws DriverException;

    void stop(String server, ProfileSpec profile, CallContext ctx) throws DriverException;

    /** Whether the workload answers on its identity. */
    Status monitor(String server, ProfileSpec profile, CallContext ctx) throws DriverException;
}

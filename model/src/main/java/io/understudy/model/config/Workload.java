package io.understudy.model.config;

/**
 * What runs under a profile; the commands follow OCF exit codes (0 running, 7 not running).
 *
 * @param reload run on a preloaded standby after its data copy was refreshed, so the running workload reads it; when
 *               absent the standby's workload is stopped and started again
 */
public record Workload(String name, String start, String stop, String monitor, String reload) {
    public Workload(String name, String start, String stop, String monitor) {
        this(name, start, stop, monitor, null);
    }
}

package io.understudy.agent.linux;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.DriverException.Kind;
import io.understudy.drivers.WorkloadDriver.Status;
import io.understudy.drivers.process.ProcessRunner;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a profile's workload commands with {@code sh -c}, OCF style: monitor exits 0 running, 7 not running, anything
 * else failed. Start and stop ask monitor first, so both are idempotent. Each command sees {@code UNDERSTUDY_PROFILE}
 * (the profile id), {@code UNDERSTUDY_ADDRESSES} (its alias addresses, space-separated) and, when the profile has
 * one, {@code UNDERSTUDY_DATA_DIR} (its data directory). A start command that
 * leaves a daemon behind must redirect the daemon's output (as any init script does), or the call waits on it.
 */
final class LinuxWorkload {
    static final int OCF_SUCCESS = 0;
    static final int OCF_NOT_RUNNING = 7;

    private final CommandRunner runner;
    private final Duration timeout;
    /** Where profiles' data directories live ("/" on a real server; a directory per host in a lab). */
    private volatile java.nio.file.Path dataRoot = java.nio.file.Path.of("/");

    void dataRoot(java.nio.file.Path root) {
        dataRoot = root;
    }

    LinuxWorkload(CommandRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /**
     * Starts the workload unless monitor says it runs. A workload whose monitor says failed is refused: OCF leaves
     * starting a failed resource undefined, so it must be stopped (cleaned up) first.
     */
    void start(ProfileSpec p) throws DriverException {
        Workload w = p.workload();
        if (w == null) return;
        Status now = monitor(p);
        if (now == Status.RUNNING) return;
        if (now == Status.FAILED) {
            throw new DriverException(Kind.FAILED, "workload " + name(p) + " of profile " + p.id()
                    + " is failed (monitor says so); stop it before starting it again");
        }
        run(p, "start", w.start());
    }

    /** Stops the workload unless monitor says it is not running; a failed one is stopped to clean it up. */
    void stop(ProfileSpec p) throws DriverException {
        Workload w = p.workload();
        if (w == null) return;
        if (monitor(p) == Status.NOT_RUNNING) return;
        run(p, "stop", w.stop());
    }

    /** Runs the profile's reload command: the running workload reads its refreshed data directory. */
    void reload(ProfileSpec p) throws DriverException {
        Workload w = p.workload();
        if (w == null || w.reload() == null) return;
        run(p, "reload", w.reload());
    }

    /** Never changes anything; a profile without a workload has nothing running. */
    Status monitor(ProfileSpec p) throws DriverException {
        Workload w = p.workload();
        if (w == null) return Status.NOT_RUNNING;
        ProcessRunner.Result r = exec(p, "monitor", w.monitor());
        return switch (r.exit()) {
            case OCF_SUCCESS -> Status.RUNNING;
            case OCF_NOT_RUNNING -> Status.NOT_RUNNING;
            default -> Status.FAILED;
        };
    }

    private void run(ProfileSpec p, String action, String command) throws DriverException {
        ProcessRunner.Result r = exec(p, action, command);
        if (r.exit() != OCF_SUCCESS) {
            throw new DriverException(Kind.FAILED, "workload " + name(p) + " of profile " + p.id() + ": " + action
                    + " exited " + r.exit() + tail(r));
        }
    }

    private ProcessRunner.Result exec(ProfileSpec p, String action, String command) throws DriverException {
        if (command == null || command.isBlank()) {
            throw new DriverException(Kind.FAILED, "workload " + name(p) + " of profile " + p.id() + " has no " + action + " command");
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "UNDERSTUDY_PROFILE", p.id(),
                "UNDERSTUDY_ADDRESSES", String.join(" ", p.identity().addresses())));
        if (p.dataDir() != null) env.put("UNDERSTUDY_DATA_DIR", dataRoot.resolve(p.dataDir().substring(1)).toString());
        try {
            return runner.run(List.of("sh", "-c", command), env, timeout);
        } catch (DriverException e) {
            throw new DriverException(e.kind(), "workload " + name(p) + " of profile " + p.id() + ": " + action + ": "
                    + bare(e));
        }
    }

    /** The message without the "kind: " prefix, which the rethrown exception adds again. */
    private static String bare(DriverException e) {
        String m = e.getMessage();
        String prefix = e.kind().name().toLowerCase() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static String name(ProfileSpec p) {
        String n = p.workload().name();
        return n == null || n.isBlank() ? "(unnamed)" : n;
    }

    private static String tail(ProcessRunner.Result r) {
        String err = r.stderr().strip();
        if (err.isEmpty()) err = r.stdout().strip();
        if (err.isEmpty()) return "";
        return ": " + (err.length() > 300 ? "…" + err.substring(err.length() - 300) : err);
    }
}

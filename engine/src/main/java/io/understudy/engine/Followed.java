package io.understudy.engine;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.ServerState;
import io.understudy.model.config.ProfileSpec;
import io.understudy.state.ClusterState;
import io.understudy.state.Job;
import io.understudy.state.ProfileRecord;
import io.understudy.state.ServerRecord;
import io.understudy.state.Step;
import io.understudy.state.AlarmType;
import io.understudy.state.Durations;
import io.understudy.state.StateStore;
import io.understudy.state.command.RaiseAlarm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ordered boot: what a profile's workload still waits for before it may start. Each profile of its {@code after}
 * must be verified running: recorded on a running server, no job moving it that has not passed its verify step, and
 * its workload answering there now (asked, not taken from the state: a server that booted after a power cut holds
 * its profile in the state before anything has started on it).
 */
public final class Followed {
    private Followed() {}

    /** One profile followed: either why it is not running (known from the state), or the server to ask. */
    public record Look(ProfileSpec profile, String server, String notRunning) {}

    /** From the state alone, no I/O: one look per profile that {@code p} starts after. */
    public static List<Look> look(ClusterState s, ProfileSpec p) {
        List<Look> out = new ArrayList<>();
        for (String id : p.after()) {
            ProfileSpec f = s.index().profile(id).orElse(null);
            ProfileRecord r = s.profile(id);
            if (f == null) continue;   // removed from the configuration since: nothing to wait for
            if (r == null || r.server() == null) {
                out.add(new Look(f, null, id + " (runs nowhere)"));
                continue;
            }
            if (r.activeJob() != null) {
                Job j = s.job(r.activeJob());
                boolean verified = j != null && j.steps().stream().anyMatch(st -> st.name().equals("verify") && st.status() == Step.Status.DONE);
                if (!verified) {
                    String at = j == null ? "" : j.steps().stream().filter(st -> !st.status().finished()).findFirst()
                            .map(st -> ", at " + st.name()).orElse("");
                    out.add(new Look(f, r.server(), id + " (being moved by job " + r.activeJob() + at + ")"));
                    continue;
                }
            }
            ServerRecord server = s.server(r.server());
            if (server == null || server.state() != ServerState.RUNNING) {
                out.add(new Look(f, r.server(), id + " (its server " + r.server() + " is " + (server == null ? "unknown" : server.state().wire()) + ")"));
                continue;
            }
            out.add(new Look(f, r.server(), null));
        }
        return out;
    }

    /**
     * Raises {@code boot-order-waiting} for {@code profile} once it has waited since {@code since} for longer than
     * {@code bootTimeout}, unless one is open already (the wait goes on; the text is not rewritten every round).
     */
    static void alarmIfLong(StateStore store, String profile, String text, Instant since, Instant now, Duration bootTimeout) {
        if (now.isBefore(since.plus(bootTimeout))) return;
        if (store.read(s -> s.openAlarm(AlarmType.BOOT_ORDER_WAITING, profile).isPresent())) return;
        store.submit(new RaiseAlarm(AlarmType.BOOT_ORDER_WAITING, profile, text + " (for " + Durations.format(Duration.between(since, now)) + ")", now));
    }

    /**
     * Asks the workload driver about every followed profile the state says runs (I/O: call it on an executor, with
     * the call's deadline). The texts of those not running; empty when every one runs.
     */
    public static List<String> waiting(List<Look> looks, Drivers drivers, CallContext ctx) {
        List<String> out = new ArrayList<>();
        for (Look l : looks) {
            if (l.notRunning() != null) {
                out.add(l.notRunning());
                continue;
            }
            try {
                WorkloadDriver.Status st = drivers.workload().monitor(l.server(), l.profile(), ctx);
                if (st != WorkloadDriver.Status.RUNNING) out.add(l.profile().id() + " (its workload is " + st.name().toLowerCase().replace('_', ' ') + " on " + l.server() + ")");
            } catch (DriverException e) {
                out.add(l.profile().id() + " (its workload on " + l.server() + " does not answer: " + e.getMessage() + ")");
            }
        }
        return out;
    }
}

package io.understudy.state;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.Enclosure;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.command.Command;
import io.understudy.state.command.RaiseAlarm;
import java.time.Instant;
import java.util.List;

/** A small valid data center and command streams shared by the state tests. */
public final class Fixtures {
    private Fixtures() {}

    public static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

    /** One enclosure of 4 bays; s1 and s2 run profiles web and db, s3 is their spare. */
    public static DataCenterConfig dataCenter() {
        return new DataCenterConfig("test-dc",
                List.of(new Enclosure("enc1", 4)),
                List.of(server("s1", 1), server("s2", 2), server("s3", 3)),
                List.of(new GroupSpec("g1", List.of("s1", "s2"), List.of("s3"), null)),
                List.of(profile("web", "s1", 1), profile("db", "s2", 2)));
    }

    public static ApplyConfig applyConfig() {
        return new ApplyConfig(dataCenter(), "test", T0);
    }

    /** A harmless command that changes the state every time: raising (or updating) an alarm with a new text. */
    public static Command alarm(int i) {
        return new RaiseAlarm(AlarmType.SERVER_FAILED, "s" + (1 + i % 3), "probe " + i, T0.plusSeconds(i));
    }

    /** Equal for two replicas that applied the same commands, whatever index they applied them at. */
    public static ClusterState.Snapshot withoutIndex(ClusterState.Snapshot s) {
        return new ClusterState.Snapshot(s.config(), s.servers(), s.profiles(), s.jobs(), s.alarms(), s.maintenance(),
                s.nextJob(), s.nextAlarm(), 0, s.changes(), s.hookEvents(), s.nextHookEvent());
    }

    private static ServerSpec server(String id, int bay) {
        return new ServerSpec(id, "enc1/bay" + bay, id + ".example.test", "198.18.0." + bay, "bl460c", "gen10", 16, 64, null);
    }

    private static ProfileSpec profile(String id, String home, int n) {
        Identity identity = new Identity(id + ".example.test", List.of("198.18.1." + n + "/24"),
                List.of("02:00:00:00:00:0" + n), null);
        return new ProfileSpec(id, "g1", home, identity, null, null, null, null, null);
    }
}

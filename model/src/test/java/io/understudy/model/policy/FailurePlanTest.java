package io.understudy.model.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.config.Bmc;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.ServerSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What-if with a boot order: the plan lists profiles in the order they would start. */
class FailurePlanTest {

    private static ServerView regular(String id, String profile) {
        return new ServerView(new ServerSpec(id, "enc1/bay1", id, null, "M", "G1", 8, 64, new Bmc("sim", null)), "g", ServerState.RUNNING, profile, false, null);
    }

    @Test
    void enclosureFails_theEntriesComeInTheOrderTheyWouldStart_andOneFollowingAProfileThatStaysDownWaits() {
        Map<String, ProfileSpec> ps = new LinkedHashMap<>();
        ps.put("app", Fixtures.profile("app", "M", 4, 8, 1).withAfter(List.of("db")));
        ps.put("db", Fixtures.profile("db", "M", 4, 8, 2));
        ps.put("web", Fixtures.profile("web", "M", 4, 8, 3).withAfter(List.of("app", "cache")));
        ps.put("cache", Fixtures.profile("cache", "M", 4, 8, 9));
        List<ServerView> servers = List.of(regular("a", "app"), regular("b", "db"), regular("c", "web"), regular("d", "cache"),
                Fixtures.spare("s1", "M", 8, 64, ServerState.OFF), Fixtures.spare("s2", "M", 8, 64, ServerState.OFF),
                Fixtures.spare("s3", "M", 8, 64, ServerState.OFF));

        List<FailurePlan.Entry> plan = FailurePlan.plan(servers, ps, Set.of("a", "b", "c", "d"), p -> ProtectionLevel.COLD, p -> false);

        // Spares go by priority (app, db, web); cache, the worst, finds none and stays down, so web would wait.
        assertThat(plan).extracting(FailurePlan.Entry::profile).containsExactly("db", "app", "web", "cache");
        assertThat(plan).extracting(FailurePlan.Entry::wave).containsExactly(1, 2, null, null);
        assertThat(plan.get(1).waitsFor()).containsExactly("db");
        assertThat(plan.get(2).waitsFor()).containsExactly("app", "cache");
        assertThat(plan.get(2).to()).isNotNull();
        assertThat(plan.get(2).reason()).contains("would wait: it starts after [cache], which would not come back");
        assertThat(plan.get(3).to()).isNull();
    }
}

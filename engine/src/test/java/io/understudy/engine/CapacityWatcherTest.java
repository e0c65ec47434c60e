package io.understudy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.ServerState;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.policy.SpareSelection;
import io.understudy.state.ClusterState;
import io.understudy.state.LocalStateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.command.ObserveServer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 11, item 3: the capacity verdict uses the rule selection uses, on the recorded state. */
class CapacityWatcherTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static LocalStateStore store() {
        LocalStateStore store = new LocalStateStore();
        var dc = DataCenters.demo();
        for (String g : java.util.List.of("cold", "hot")) dc = DataCenters.withPolicy(dc, g, p -> DataCenters.policy(p).anticipated(1).build());
        assertThat(store.submit(new ApplyConfig(dc, "test", T)).ok()).isTrue();
        dc.servers().forEach(s -> store.submit(new ObserveServer(s.id(), s.id().startsWith("bl-s") ? ServerState.OFF : ServerState.RUNNING, "seen", T)));
        // The regular servers run their profiles (home).
        return store;
    }

    @Test
    void capacitySaidOkForAColdGroupWhoseOnlySpareIsPoweredOn() {
        LocalStateStore store = store();
        store.submit(new ObserveServer("bl-s1", ServerState.FAILED, "BMC probe failed: unreachable", T));
        store.submit(new ObserveServer("bl-s2", ServerState.RUNNING, "agent heartbeating", T));
        var verdict = store.read(s -> CapacityWatcher.assess(s, s.index().group("cold").orElseThrow()));
        assertThat(verdict.sufficient()).as(verdict.reason()).isFalse();
        assertThat(verdict.reason()).contains("bl-s2: not powered off (running)").contains("bl-s1: not present (failed)");
    }

    @Test
    void capacity_agreesWithSelection_forEveryProfileOfEveryGroup() {
        LocalStateStore store = store();
        for (ServerState st : ServerState.values()) {
            store.submit(new ObserveServer("bl-s2", st == ServerState.FENCED ? ServerState.FAILED : st, "x", T));
            store.read(s -> {
                for (GroupSpec g : s.config().groups()) {
                    boolean everySelectable = s.config().profiles().stream().filter(p -> p.group().equals(g.id()))
                            .allMatch(p -> selectable(s, g, p));
                    assertThat(CapacityWatcher.assess(s, g).sufficient()).as(g.id() + " with bl-s2 " + st).isEqualTo(everySelectable);
                }
                return null;
            });
        }
    }

    private static boolean selectable(ClusterState s, GroupSpec g, ProfileSpec p) {
        var spares = s.views().stream().filter(v -> v.spare() && g.id().equals(v.group())).toList();
        return SpareSelection.choose(spares, p, s.config().protectionOf(p)).spare().isPresent();
    }
}

package io.understudy.model.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.model.config.ProfileSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** Ordered boot: the order's cycles and the waves in which profiles come back, tried on random orders. */
class BootOrderTest {

    private static Map<String, ProfileSpec> profiles(int n, List<Tuple.Tuple2<Integer, Integer>> edges) {
        Map<String, List<String>> after = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) after.put("p" + i, new ArrayList<>());
        for (var e : edges) {
            int a = e.get1() % n, b = e.get2() % n;
            if (a != b && !after.get("p" + a).contains("p" + b)) after.get("p" + a).add("p" + b);
        }
        Map<String, ProfileSpec> out = new LinkedHashMap<>();
        after.forEach((id, f) -> out.put(id, Fixtures.profile(id, "M", 1, 1, 1).withAfter(f)));
        return out;
    }

    /** Kahn's algorithm, written independently of the code under test: whether the order has no cycle. */
    private static boolean acyclic(Map<String, ProfileSpec> ps) {
        Map<String, Integer> waiting = new HashMap<>();
        ps.values().forEach(p -> waiting.put(p.id(), p.after().size()));
        ArrayDeque<String> ready = new ArrayDeque<>();
        waiting.forEach((id, n) -> { if (n == 0) ready.add(id); });
        int started = 0;
        while (!ready.isEmpty()) {
            String d = ready.poll();
            started++;
            for (ProfileSpec p : ps.values()) {
                if (p.after().contains(d) && waiting.merge(p.id(), -1, Integer::sum) == 0) ready.add(p.id());
            }
        }
        return started == ps.size();
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> edges() {
        return Arbitraries.integers().between(0, 7).tuple2().list().ofMaxSize(14);
    }

    @Property
    void cycle_isFoundExactlyWhenThereIsOne_andIsARealPath(@ForAll("edges") List<Tuple.Tuple2<Integer, Integer>> edges) {
        Map<String, ProfileSpec> ps = profiles(8, edges);
        List<String> cycle = BootOrder.cycle(ps.values());
        assertThat(cycle.isEmpty()).isEqualTo(acyclic(ps));
        if (cycle.isEmpty()) return;
        assertThat(cycle.get(0)).isEqualTo(cycle.get(cycle.size() - 1));
        for (int i = 0; i + 1 < cycle.size(); i++) assertThat(ps.get(cycle.get(i)).after()).contains(cycle.get(i + 1));
    }

    @Property
    void waves_startEveryProfileAfterThoseItFollows_andNoneThatWaitsOnOneThatStaysDown(
            @ForAll("edges") List<Tuple.Tuple2<Integer, Integer>> edges, @ForAll("downs") Set<Integer> downs) {
        Map<String, ProfileSpec> ps = profiles(8, edges);
        if (!acyclic(ps)) return;
        Set<String> down = new HashSet<>();
        downs.forEach(d -> down.add("p" + d));
        Set<String> coming = new HashSet<>(ps.keySet());
        coming.removeAll(down);
        Map<String, Integer> waves = BootOrder.waves(coming, down, ps);
        for (String id : coming) {
            boolean waitsOnDown = reaches(ps, id, down);
            assertThat(waves.containsKey(id)).as("%s waits on one that stays down: %s", id, waitsOnDown).isEqualTo(!waitsOnDown);
            if (!waves.containsKey(id)) continue;
            for (String d : ps.get(id).after()) assertThat(waves.get(id)).as("%s after %s", id, d).isGreaterThan(waves.get(d));
            int expected = 1 + ps.get(id).after().stream().mapToInt(waves::get).max().orElse(0);
            assertThat(waves.get(id)).as("%s starts as soon as what it follows runs", id).isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<Set<Integer>> downs() {
        return Arbitraries.integers().between(0, 7).set().ofMaxSize(2);
    }

    private static boolean reaches(Map<String, ProfileSpec> ps, String from, Set<String> targets) {
        ArrayDeque<String> todo = new ArrayDeque<>(ps.get(from).after());
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String d = todo.poll();
            if (targets.contains(d)) return true;
            if (seen.add(d)) todo.addAll(ps.get(d).after());
        }
        return false;
    }

    @Test
    void waves_ofAChain_comeOneAfterAnother_andOneFollowingARunningProfileStartsFirst() {
        Map<String, ProfileSpec> ps = new LinkedHashMap<>();
        ps.put("db", Fixtures.profile("db", "M", 1, 1, 1));
        ps.put("app", Fixtures.profile("app", "M", 1, 1, 1).withAfter(List.of("db")));
        ps.put("web", Fixtures.profile("web", "M", 1, 1, 1).withAfter(List.of("app", "dns")));
        ps.put("dns", Fixtures.profile("dns", "M", 1, 1, 1));
        assertThat(BootOrder.waves(Set.of("db", "app", "web"), Set.of(), ps)).containsExactlyInAnyOrderEntriesOf(Map.of("db", 1, "app", 2, "web", 3));
        assertThat(BootOrder.waves(Set.of("app", "web"), Set.of("db"), ps)).isEmpty();
    }
}

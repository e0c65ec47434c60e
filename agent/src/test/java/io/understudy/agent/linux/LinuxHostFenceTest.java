package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.config.Identity;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.Workload;
import io.understudy.testkit.DrivenScheduler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self-fencing against the real kernel: host a in a network namespace drops its workloads and aliases. */
class LinuxHostFenceTest {
    @TempDir
    Path dir;

    private final DrivenScheduler scheduler = new DrivenScheduler();
    private NetNs net;
    private LinuxHost a;

    @BeforeEach
    void lan() throws DriverException {
        NetNs.requireKernel();
        net = NetNs.create("a");
        a = LinuxHost.start(LinuxHostSettings.defaults(NetNs.DEV), net.runner("a"), scheduler);
    }

    @AfterEach
    void teardown() {
        if (a != null) a.close();
        if (net != null) net.close();
    }

    @Test
    void fenceSelf_stopsEachWorkloadAndDropsEachAlias() throws Exception {
        ProfileSpec web = profile("web", "198.18.0.100", marker("web", "rm -f"));
        ProfileSpec db = profile("db", "198.18.0.101", marker("db", "rm -f"));
        for (ProfileSpec p : List.of(web, db)) {
            a.applyIdentity(p);
            a.startWorkload(p);
        }
        assertThat(dir.resolve("web")).exists();
        assertThat(net.addresses("a")).contains("198.18.0.100/24", "198.18.0.101/24");

        String summary = a.fenceSelf(List.of(web, db));

        assertThat(summary).isEqualTo("fenced 2 profile(s): web, db: workloads stopped, identities released");
        assertThat(dir.resolve("web")).doesNotExist();
        assertThat(dir.resolve("db")).doesNotExist();
        assertThat(a.monitorWorkload(web)).isEqualTo(WorkloadDriver.Status.NOT_RUNNING);
        assertThat(net.addresses("a")).containsExactly(net.address("a") + "/24");
        assertThat(a.announcing(web)).isFalse();
        assertThat(a.announcing(db)).isFalse();
    }

    @Test
    void fenceSelf_stopFails_stillDropsTheAliasesAndTriesTheNextProfile_thenThrows() throws Exception {
        ProfileSpec stuck = profile("web", "198.18.0.100", marker("web", "echo cannot stop >&2; exit 1 #"));
        ProfileSpec db = profile("db", "198.18.0.101", marker("db", "rm -f"));
        for (ProfileSpec p : List.of(stuck, db)) {
            a.applyIdentity(p);
            a.startWorkload(p);
        }

        assertThatThrownBy(() -> a.fenceSelf(List.of(stuck, db))).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
            assertThat(e.getMessage()).contains("self-fence of 2 profile(s) incomplete")
                    .contains("profile web: stop workload:").contains("cannot stop").doesNotContain("profile db");
        });
        assertThat(net.addresses("a")).containsExactly(net.address("a") + "/24");
        assertThat(dir.resolve("db")).doesNotExist();
        assertThat(a.announcing(stuck)).isFalse();
    }

    /** A workload that is a marker file: start creates it, stop runs {@code stop} on it, monitor checks it. */
    private Workload marker(String name, String stop) {
        String f = "'" + dir.resolve(name) + "'";
        return new Workload(name, "touch " + f, stop + " " + f, "[ -f " + f + " ] && exit 0; exit 7");
    }

    private static ProfileSpec profile(String id, String alias, Workload w) {
        return new ProfileSpec(id, "g1", "srv1", new Identity(id + "1", List.of(alias), List.of(), List.of()), w,
                null, null, null, null);
    }
}

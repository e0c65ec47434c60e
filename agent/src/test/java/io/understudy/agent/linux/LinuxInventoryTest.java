package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.agent.Host.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxInventoryTest {
    @TempDir
    Path dir;

    @Test
    void read_dmiAndMeminfo_modelAndRoundedGib() throws Exception {
        Path product = Files.writeString(dir.resolve("product_name"), "ProLiant BL460c Gen9\n");
        // A 16 GiB server: the kernel keeps some for itself.
        Path meminfo = Files.writeString(dir.resolve("meminfo"), "MemTotal:       16303104 kB\nMemFree:  1000 kB\n");

        assertThat(LinuxInventory.read(product, meminfo, null, 8, () -> "ok")).isEqualTo(new Inventory("ProLiant BL460c Gen9", 8, 16, "ok"));
    }

    /** Issue 11: the agent said "ok" whatever the system's state, measured or not. */
    @Test
    void healthWasAlwaysOk_systemctlStates_mapToWhatIsMeasured() {
        assertThat(LinuxInventory.health("running\n")).isEqualTo("ok");
        assertThat(LinuxInventory.health("degraded\n")).isEqualTo("warning");
        assertThat(LinuxInventory.health("starting\n")).isEqualTo("warning");
        assertThat(LinuxInventory.health("maintenance\n")).isEqualTo("critical");
        // Captured on the build machine (a container, systemd not PID 1): "offline", exit status 1.
        assertThat(LinuxInventory.health("offline\n")).isEqualTo("unknown");
        assertThat(LinuxInventory.health("")).isEqualTo("unknown");
        assertThat(LinuxInventory.health(null)).isEqualTo("unknown");
    }

    /** Issue 11, on this machine: whatever systemd says here, the inventory reports that and not a fixed "ok". */
    @Test
    void healthWasAlwaysOk_read_reportsWhatSystemctlSaysHere() throws Exception {
        Path meminfo = Files.writeString(dir.resolve("meminfo"), "MemTotal:       16303104 kB\n");
        String here;
        try {
            here = io.understudy.drivers.process.ProcessRunner.run(java.util.List.of("systemctl", "is-system-running"), java.util.Map.of(),
                    null, java.time.Duration.ofSeconds(10)).stdout();
        } catch (java.io.IOException e) {
            here = "";   // no systemctl at all
        }
        assertThat(LinuxInventory.read(dir.resolve("none"), meminfo, null, 8).health()).isEqualTo(LinuxInventory.health(here));
        org.junit.jupiter.api.Assumptions.assumeFalse(here.strip().equals("running"), "systemd runs this machine and says running");
        assertThat(LinuxInventory.read(dir.resolve("none"), meminfo, null, 8).health()).isNotEqualTo("ok");
    }

    @Test
    void model_noDmi_fallbackThenUnknown() {
        Path missing = dir.resolve("none");

        assertThat(LinuxInventory.model(missing, "kvm-guest")).isEqualTo("kvm-guest");
        assertThat(LinuxInventory.model(missing, null)).isEqualTo("unknown");
    }

    @Test
    void model_firmwarePlaceholder_fallback() throws Exception {
        Path product = Files.writeString(dir.resolve("product_name"), "To Be Filled By O.E.M.\n");

        assertThat(LinuxInventory.model(product, null)).isEqualTo("unknown");
    }

    @Test
    void memoryGib_unreadable_zero() {
        assertThat(LinuxInventory.memoryGib(dir.resolve("none"))).isZero();
    }

    @Test
    void memoryGib_thisMachine_positive() {
        assertThat(LinuxInventory.memoryGib(LinuxInventory.MEMINFO)).isPositive();
    }
}

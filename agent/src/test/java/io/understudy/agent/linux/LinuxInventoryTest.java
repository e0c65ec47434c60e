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

        assertThat(LinuxInventory.read(product, meminfo, null, 8)).isEqualTo(new Inventory("ProLiant BL460c Gen9", 8, 16, "ok"));
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

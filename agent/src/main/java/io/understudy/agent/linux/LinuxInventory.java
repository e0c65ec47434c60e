package io.understudy.agent.linux;

import io.understudy.agent.Host.Inventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this server is, read from DMI and /proc: model, cores, memory. Unreadable parts fall back rather than fail. */
final class LinuxInventory {
    static final Path DMI_PRODUCT_NAME = Path.of("/sys/class/dmi/id/product_name");
    static final Path MEMINFO = Path.of("/proc/meminfo");
    static final String UNKNOWN_MODEL = "unknown";

    private LinuxInventory() {}

    static Inventory read(Path productName, Path meminfo, String fallbackModel, int cores) {
        return new Inventory(model(productName, fallbackModel), cores, memoryGib(meminfo), "ok");
    }

    static String model(Path productName, String fallbackModel) {
        String fallback = fallbackModel == null ? UNKNOWN_MODEL : fallbackModel;
        try {
            String m = Files.readString(productName, StandardCharsets.UTF_8).strip();
            // Firmware fills unset DMI strings with placeholders; they name no model.
            if (m.isEmpty() || m.equalsIgnoreCase("To Be Filled By O.E.M.") || m.equalsIgnoreCase("Default string")) return fallback;
            return m;
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    /** MemTotal rounded to the nearest GiB: the kernel keeps some memory for itself, so a 16 GiB server shows a bit less. */
    static int memoryGib(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo, StandardCharsets.UTF_8)) {
                if (!line.startsWith("MemTotal:")) continue;
                String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                long kib = Long.parseLong(parts[0]);
                return (int) Math.round(kib / (1024.0 * 1024.0));
            }
        } catch (IOException | RuntimeException e) {
            // Reported as 0 GiB: the control plane then sees a spare that cannot be checked, not a wrong number.
        }
        return 0;
    }
}

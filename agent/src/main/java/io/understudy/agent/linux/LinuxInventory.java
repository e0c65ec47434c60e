package io.understudy.agent.linux;

import io.understudy.agent.Host.Inventory;
import io.understudy.drivers.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What this server is, read from DMI and /proc: model, cores, memory; and its health as systemd measures it
 * ({@code systemctl is-system-running}). Unreadable parts fall back rather than fail; a health not measured is
 * {@code unknown}, never {@code ok}.
 */
final class LinuxInventory {
    static final Path DMI_PRODUCT_NAME = Path.of("/sys/class/dmi/id/product_name");
    static final Path MEMINFO = Path.of("/proc/meminfo");
    static final String UNKNOWN_MODEL = "unknown";

    private LinuxInventory() {}

    static final String UNKNOWN_HEALTH = "unknown";
    static final Duration SYSTEMCTL_TIMEOUT = Duration.ofSeconds(5);

    static Inventory read(Path productName, Path meminfo, String fallbackModel, int cores) {
        return read(productName, meminfo, fallbackModel, cores, LinuxInventory::systemHealth);
    }

    static Inventory read(Path productName, Path meminfo, String fallbackModel, int cores, Supplier<String> health) {
        return new Inventory(model(productName, fallbackModel), cores, memoryGib(meminfo), health.get());
    }

    /** The system's health by {@code systemctl is-system-running}; unknown where systemd cannot say. */
    static String systemHealth() {
        try {
            ProcessRunner.Result r = ProcessRunner.run(List.of("systemctl", "is-system-running"), Map.of(), null, SYSTEMCTL_TIMEOUT);
            return health(r.stdout());
        } catch (IOException | ProcessRunner.TimedOut | RuntimeException e) {
            return UNKNOWN_HEALTH;   // no systemd, or it did not answer: nothing measured
        }
    }

    /**
     * The state {@code systemctl is-system-running} prints (its exit status is non-zero for every state but
     * running, so only the word counts): {@code running} is ok; {@code degraded} (a unit failed), {@code starting},
     * {@code initializing} and {@code stopping} are warnings; {@code maintenance} (rescue or emergency target) is
     * critical; {@code offline} (systemd is not PID 1, as in a container), {@code unknown} and anything else unknown.
     */
    static String health(String systemState) {
        String state = systemState == null ? "" : systemState.strip();
        return switch (state) {
            case "running" -> "ok";
            case "degraded", "starting", "initializing", "stopping" -> "warning";
            case "maintenance" -> "critical";
            default -> UNKNOWN_HEALTH;
        };
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

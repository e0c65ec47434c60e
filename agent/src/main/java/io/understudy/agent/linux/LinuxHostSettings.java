package io.understudy.agent.linux;

import io.understudy.model.config.ConfigError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How {@link LinuxHost} adapts this server, beside the defaults ({@link #defaults}).
 *
 * @param interfaceName the interface that carries the profiles' alias addresses (and their MAC when {@code setMac})
 * @param prefix the prefix length given to an alias address written without one
 * @param setMac whether a profile's MAC is written to {@code interfaceName}; off, the MACs are left to the enclosure
 * @param hostnameFile where a profile's hostname is written (the agent never calls {@code hostname}: a test's network
 *     namespaces share the machine's UTS namespace); {@code null} leaves the hostname alone
 * @param fallbackModel the model reported when DMI has none (a VM, a container); {@code null} reports {@code unknown}
 * @param announceRepeats gratuitous ARP rounds after the first one, {@code announceInterval} apart, before the slower
 *     {@code announcePeriod} rhythm takes over (MX-ONE: at once, a few repeats, then periodically)
 * @param commandTimeout the limit for each {@code ip} and {@code arping} call, and for a whole duplicate address
 *     detection: an alias not probed by then is refused, not assumed free
 * @param workloadTimeout the limit for each workload start, stop and monitor command
 * @param dadTimeout how long duplicate address detection waits for another host to answer for an alias before it is
 *     added, counted from when arping's probe went out ({@link AddressProbe}); every alias of one profile is probed at
 *     once, so an apply waits about this long once (plus arping's start, and up to two more probes, each waiting twice
 *     as long, when the machine is too loaded to start arping on time); zero turns detection off
 */
public record LinuxHostSettings(
        String interfaceName,
        int prefix,
        boolean setMac,
        Path hostnameFile,
        String fallbackModel,
        int announceRepeats,
        Duration announceInterval,
        Duration announcePeriod,
        Duration commandTimeout,
        Duration workloadTimeout,
        Duration dadTimeout) {

    public static final int DEFAULT_PREFIX = 24;
    public static final int DEFAULT_ANNOUNCE_REPEATS = 2;
    public static final Duration DEFAULT_ANNOUNCE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_ANNOUNCE_PERIOD = Duration.ofSeconds(30);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WORKLOAD_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DAD_TIMEOUT = Duration.ofMillis(100);

    /** Linux's IFNAMSIZ less the terminating zero. */
    private static final int MAX_INTERFACE_NAME = 15;

    public LinuxHostSettings {
        List<ConfigError> errors = new ArrayList<>();
        if (interfaceName == null || interfaceName.isBlank()) {
            errors.add(new ConfigError("interfaceName", "expected the interface that carries the alias addresses, e.g. eth0"));
        } else if (interfaceName.length() > MAX_INTERFACE_NAME || !interfaceName.matches("[A-Za-z0-9_.:@-]+")) {
            errors.add(new ConfigError("interfaceName", "expected a Linux interface name (at most 15 characters, no spaces"
                    + " or slashes), got '" + interfaceName + "'"));
        }
        if (prefix < 1 || prefix > 32) errors.add(new ConfigError("prefix", "expected an IPv4 prefix length 1..32, got " + prefix));
        if (announceRepeats < 0 || announceRepeats > 10) {
            errors.add(new ConfigError("announceRepeats", "expected 0..10 repeats, got " + announceRepeats));
        }
        positive(errors, "announceInterval", announceInterval);
        positive(errors, "announcePeriod", announcePeriod);
        positive(errors, "commandTimeout", commandTimeout);
        positive(errors, "workloadTimeout", workloadTimeout);
        if (announcePeriod != null && commandTimeout != null && !announcePeriod.isNegative()
                && announcePeriod.compareTo(commandTimeout) < 0) {
            errors.add(new ConfigError("announcePeriod", "expected at least commandTimeout (" + commandTimeout
                    + "), so announcements cannot pile up; got " + announcePeriod));
        }
        if (dadTimeout == null || dadTimeout.isNegative()) {
            errors.add(new ConfigError("dadTimeout", "expected zero (off) or a positive duration, got " + dadTimeout));
        } else if (commandTimeout != null && !commandTimeout.isNegative() && dadTimeout.compareTo(commandTimeout) > 0) {
            errors.add(new ConfigError("dadTimeout", "expected at most commandTimeout (" + commandTimeout + "), got " + dadTimeout));
        }
        if (fallbackModel != null && fallbackModel.isBlank()) fallbackModel = null;
        if (!errors.isEmpty()) throw new Invalid(errors);
    }

    /** As before duplicate address detection had a setting: it waits {@link #DEFAULT_DAD_TIMEOUT}. */
    public LinuxHostSettings(String interfaceName, int prefix, boolean setMac, Path hostnameFile, String fallbackModel,
                             int announceRepeats, Duration announceInterval, Duration announcePeriod,
                             Duration commandTimeout, Duration workloadTimeout) {
        this(interfaceName, prefix, setMac, hostnameFile, fallbackModel, announceRepeats, announceInterval, announcePeriod,
                commandTimeout, workloadTimeout, DEFAULT_DAD_TIMEOUT);
    }

    /** The defaults for {@code interfaceName}: /24, MACs and hostname left alone, announcements at once, +1 s, +2 s, then every 30 s,
     *  100 ms of duplicate address detection before an alias is added. */
    public static LinuxHostSettings defaults(String interfaceName) {
        return new LinuxHostSettings(interfaceName, DEFAULT_PREFIX, false, null, null, DEFAULT_ANNOUNCE_REPEATS,
                DEFAULT_ANNOUNCE_INTERVAL, DEFAULT_ANNOUNCE_PERIOD, DEFAULT_COMMAND_TIMEOUT, DEFAULT_WORKLOAD_TIMEOUT);
    }

    public LinuxHostSettings withSetMac(boolean value) {
        return new LinuxHostSettings(interfaceName, prefix, value, hostnameFile, fallbackModel, announceRepeats,
                announceInterval, announcePeriod, commandTimeout, workloadTimeout, dadTimeout);
    }

    public LinuxHostSettings withHostnameFile(Path value) {
        return new LinuxHostSettings(interfaceName, prefix, setMac, value, fallbackModel, announceRepeats,
                announceInterval, announcePeriod, commandTimeout, workloadTimeout, dadTimeout);
    }

    public LinuxHostSettings withWorkloadTimeout(Duration value) {
        return new LinuxHostSettings(interfaceName, prefix, setMac, hostnameFile, fallbackModel, announceRepeats,
                announceInterval, announcePeriod, commandTimeout, value, dadTimeout);
    }

    /** @param value zero turns duplicate address detection off */
    public LinuxHostSettings withDadTimeout(Duration value) {
        return new LinuxHostSettings(interfaceName, prefix, setMac, hostnameFile, fallbackModel, announceRepeats,
                announceInterval, announcePeriod, commandTimeout, workloadTimeout, value);
    }

    private static void positive(List<ConfigError> errors, String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) errors.add(new ConfigError(field, "expected a positive duration, got " + d));
    }

    /** Settings that cannot work; {@link #errors()} names each field and what it expected. */
    public static final class Invalid extends IllegalArgumentException {
        private final List<ConfigError> errors;

        Invalid(List<ConfigError> errors) {
            super("invalid Linux host settings: " + errors.stream().map(ConfigError::toString).collect(Collectors.joining("; ")));
            this.errors = List.copyOf(errors);
        }

        public List<ConfigError> errors() {
            return errors;
        }
    }
}

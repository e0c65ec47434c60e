package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.model.config.ConfigError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinuxHostSettingsTest {
    @Test
    void defaults_areValidAndAnnounceAtOncePlusTwoThenEvery30s() {
        LinuxHostSettings s = LinuxHostSettings.defaults("eth0");

        assertThat(s.prefix()).isEqualTo(24);
        assertThat(s.setMac()).isFalse();
        assertThat(s.hostnameFile()).isNull();
        assertThat(s.announceRepeats()).isEqualTo(2);
        assertThat(s.announcePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.dadTimeout()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void withDadTimeout_zeroTurnsDetectionOff_negativeOrLongerThanACommandNamed() {
        LinuxHostSettings s = LinuxHostSettings.defaults("eth0");
        assertThat(s.withDadTimeout(Duration.ZERO).dadTimeout()).isZero();
        assertThat(s.withDadTimeout(Duration.ofSeconds(1)).withSetMac(true).dadTimeout()).isEqualTo(Duration.ofSeconds(1));

        assertThatThrownBy(() -> s.withDadTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(LinuxHostSettings.Invalid.class).hasMessageContaining("dadTimeout: expected zero (off) or a positive duration");
        assertThatThrownBy(() -> s.withDadTimeout(null)).isInstanceOf(LinuxHostSettings.Invalid.class).hasMessageContaining("dadTimeout");
        assertThatThrownBy(() -> s.withDadTimeout(Duration.ofSeconds(11)))
                .isInstanceOf(LinuxHostSettings.Invalid.class).hasMessageContaining("dadTimeout: expected at most commandTimeout");
    }

    @Test
    void construct_everyBadField_namedInErrors() {
        assertThatThrownBy(() -> new LinuxHostSettings("eth0 with spaces", 33, false, null, null, -1, Duration.ZERO,
                Duration.ofSeconds(-1), null, Duration.ofMillis(-5)))
                .isInstanceOfSatisfying(LinuxHostSettings.Invalid.class, e -> assertThat(e.errors()).extracting(ConfigError::path)
                        .containsExactly("interfaceName", "prefix", "announceRepeats", "announceInterval", "announcePeriod",
                                "commandTimeout", "workloadTimeout"))
                .hasMessageContaining("prefix: expected an IPv4 prefix length 1..32, got 33");
    }

    @Test
    void construct_missingInterface_named() {
        assertThatThrownBy(() -> LinuxHostSettings.defaults(null))
                .isInstanceOf(LinuxHostSettings.Invalid.class).hasMessageContaining("interfaceName: expected the interface");
    }

    @Test
    void construct_interfaceNameLongerThanKernelAllows_named() {
        assertThatThrownBy(() -> LinuxHostSettings.defaults("a-very-long-ifname"))
                .isInstanceOf(LinuxHostSettings.Invalid.class).hasMessageContaining("interfaceName: expected a Linux interface name");
    }

    @Test
    void construct_periodShorterThanCommandTimeout_named() {
        assertThatThrownBy(() -> new LinuxHostSettings("eth0", 24, false, null, null, 2, Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60)))
                .isInstanceOf(LinuxHostSettings.Invalid.class).hasMessageContaining("announcePeriod: expected at least commandTimeout");
    }
}

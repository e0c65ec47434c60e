package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.process.ProcessRunner;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How LinuxHost reads a profile's addresses and MACs, and what iproute2 answers it takes for "already gone". */
class LinuxAliasTest {
    @Test
    void alias_noPrefix_takesTheDefault() throws Exception {
        assertThat(IpLink.alias("198.18.0.100", 24)).isEqualTo(new IpLink.Alias("198.18.0.100", 24));
        assertThat(IpLink.alias(" 198.18.0.100/16 ", 24).cidr()).isEqualTo("198.18.0.100/16");
    }

    @Test
    void alias_ipv6_refusedBecauseArpCannotAnnounceIt() {
        assertThatThrownBy(() -> IpLink.alias("2001:db8::1", 24)).isInstanceOf(DriverException.class).hasMessageContaining("IPv6");
    }

    @Test
    void alias_notAnAddress_failsNamingIt() {
        assertThatThrownBy(() -> IpLink.alias("198.18.0.300", 24)).hasMessageContaining("'198.18.0.300' is not an IPv4 address");
        assertThatThrownBy(() -> IpLink.alias("198.18.0.1/33", 24)).hasMessageContaining("prefix /33");
        assertThatThrownBy(() -> IpLink.alias("web1", 24)).hasMessageContaining("'web1'");
    }

    @Test
    void mac_dashesAndUpperCase_normalised() throws Exception {
        assertThat(IpLink.mac("02-00-5E-10-00-01")).isEqualTo("02:00:5e:10:00:01");
        assertThatThrownBy(() -> IpLink.mac("02:00:5e")).isInstanceOf(DriverException.class);
    }

    @Test
    void notFound_bothIproute2Wordings_countAsGone() {
        assertThat(IpLink.notFound(result(2, "Error: ipv4: Address not found."))).isTrue();
        assertThat(IpLink.notFound(result(2, "RTNETLINK answers: Cannot assign requested address"))).isTrue();
        assertThat(IpLink.notFound(result(2, "Cannot find device \"eth9\""))).isFalse();
        assertThat(IpLink.notFound(result(1, "Error: ipv4: Address not found."))).isFalse();
    }

    private static ProcessRunner.Result result(int exit, String stderr) {
        return new ProcessRunner.Result(exit, "", stderr, Duration.ZERO);
    }
}

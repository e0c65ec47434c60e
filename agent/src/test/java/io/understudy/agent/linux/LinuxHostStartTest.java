package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.drivers.DriverException;
import io.understudy.testkit.DrivenScheduler;
import io.understudy.testkit.Executables;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks, with a PATH that holds a stand-in arping: no root needed. */
class LinuxHostStartTest {
    @TempDir
    Path bin;

    @Test
    void start_habetsArping_failsAskingForIputils() throws Exception {
        tool("arping", "echo 'ARPing 2.21, by Thomas Habets <thomas@habets.se>'");

        assertThatThrownBy(() -> LinuxHost.start(LinuxHostSettings.defaults("eth0"), runner(), new DrivenScheduler()))
                .isInstanceOfSatisfying(DriverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
                    assertThat(e.getMessage()).contains("not iputils' arping").contains("Thomas Habets")
                            .contains("iputils-arping");
                });
    }

    @Test
    void start_noArping_failsAskingForIputils() {
        assertThatThrownBy(() -> LinuxHost.start(LinuxHostSettings.defaults("eth0"), onlyBin(), new DrivenScheduler()))
                .isInstanceOf(DriverException.class).hasMessageContaining("iputils-arping");
    }

    @Test
    void start_interfaceUnknown_failsNamingIt() throws Exception {
        tool("arping", "echo 'arping from iputils 20221126'");
        // As iproute2 answers `ip -j link show dev eth9`: the device is the fifth argument.
        tool("ip", "echo \"Device \\\"$5\\\" does not exist.\" >&2; exit 1");

        assertThatThrownBy(() -> LinuxHost.start(LinuxHostSettings.defaults("eth9"), onlyBin(), new DrivenScheduler()))
                .isInstanceOfSatisfying(DriverException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
                    assertThat(e.getMessage()).contains("cannot read eth9").contains("Device \"eth9\" does not exist");
                });
    }

    private CommandRunner runner() {
        return new CommandRunner(List.of("env", "PATH=" + bin + ":/usr/sbin:/usr/bin:/sbin:/bin"));
    }

    private CommandRunner onlyBin() {
        return new CommandRunner(List.of("/usr/bin/env", "PATH=" + bin));
    }

    private void tool(String name, String body) throws Exception {
        Executables.write(bin.resolve(name), "#!/bin/sh\n" + body + "\n", "755");
    }
}

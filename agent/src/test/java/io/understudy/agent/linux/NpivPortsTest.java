package io.understudy.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.drivers.DriverException;
import io.understudy.model.config.FcPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NPIV vports against a sysfs tree in a temporary directory, laid out as the kernel's FC transport lays it out. */
class NpivPortsTest {
    private static final FcPort A = new FcPort("fc0", "50:01:43:80:01:00:00:0a", "50:01:43:80:02:00:00:0a", false);
    private static final FcPort B = new FcPort("fc1", "50:01:43:80:01:00:00:0b", "50:01:43:80:02:00:00:0b", false);

    @TempDir
    Path sys;
    private NpivPorts npiv;

    @BeforeEach
    void hbas() throws IOException {
        hba("host10", "255");
        hba("host5", "255");
        hba("host6", "0");        // a physical port that takes no vports
        Files.createDirectories(sys.resolve("class/fc_host/host9"));   // a vport's own fc_host: no vport_create
        npiv = new NpivPorts(sys);
    }

    private void hba(String host, String maxVports) throws IOException {
        Path h = Files.createDirectories(sys.resolve("class/fc_host").resolve(host));
        Files.writeString(h.resolve("vport_create"), "");
        Files.writeString(h.resolve("vport_delete"), "");
        Files.writeString(h.resolve("max_npiv_vports"), maxVports + "\n");
    }

    private String attribute(String host, String name) throws IOException {
        return Files.readString(sys.resolve("class/fc_host").resolve(host).resolve(name));
    }

    /** What the kernel does on vport_create: a vport under class/fc_vports naming its parent and its WWPN. */
    private void kernelMadeVport(String name, String wwpn) throws IOException {
        Path v = Files.createDirectories(sys.resolve("class/fc_vports").resolve(name));
        Files.writeString(v.resolve("port_name"), wwpn + "\n");
    }

    @Test
    void create_writesWwpnColonWwnnInKernelForm_eachPortOnTheNextCapableHbaByHostNumber() throws DriverException, IOException {
        npiv.create(npiv.plan(List.of(A, B)));

        assertThat(attribute("host5", "vport_create")).isEqualTo("500143800100000a:500143800200000a\n");
        assertThat(attribute("host10", "vport_create")).isEqualTo("500143800100000b:500143800200000b\n");
        assertThat(attribute("host6", "vport_create")).isEmpty();
    }

    @Test
    void create_vportAlreadyThere_writesNothing_andHoldSaysSo() throws DriverException, IOException {
        assertThat(npiv.hold(List.of(A))).isFalse();
        kernelMadeVport("vport-5:0-0", "0x500143800100000a");

        npiv.create(npiv.plan(List.of(A)));

        assertThat(attribute("host5", "vport_create")).isEmpty();
        assertThat(npiv.hold(List.of(A))).isTrue();
        assertThat(npiv.hold(List.of(A, B))).isFalse();
    }

    @Test
    void delete_writesToTheParentOfTheVport_andNothingForAPortWithoutOne() throws DriverException, IOException {
        kernelMadeVport("vport-10:0-3", "0x500143800100000a");

        npiv.delete(List.of(A, B));

        assertThat(attribute("host10", "vport_delete")).isEqualTo("500143800100000a:500143800200000a\n");
        assertThat(attribute("host5", "vport_delete")).isEmpty();
    }

    @Test
    void plan_moreFcPortsThanCapableHbas_failsBeforeWritingAnything() throws IOException {
        FcPort c = new FcPort("fc2", "50:01:43:80:01:00:00:0c", "50:01:43:80:02:00:00:0c", false);

        assertThatThrownBy(() -> npiv.plan(List.of(A, B, c))).isInstanceOfSatisfying(DriverException.class, e -> {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
            assertThat(e.getMessage()).contains("only 2 NPIV-capable fc_host(s) [host5, host10]");
        });
        assertThat(attribute("host5", "vport_create")).isEmpty();
    }

    @Test
    void plan_noFcHostAtAll_failsNamingWhereItLooked(@TempDir Path empty) {
        assertThatThrownBy(() -> new NpivPorts(empty).plan(List.of(A)))
                .isInstanceOf(DriverException.class).hasMessageContaining("no NPIV-capable fc_host under " + empty.resolve("class/fc_host"));
    }

    @Test
    void plan_aWwnThatIsNotEightBytesOfHex_fails() {
        FcPort bad = new FcPort("fc0", "50:01:43:80:01:00:00", "50:01:43:80:02:00:00:0a", false);
        assertThatThrownBy(() -> npiv.plan(List.of(bad))).hasMessageContaining("is not a WWN");
    }
}

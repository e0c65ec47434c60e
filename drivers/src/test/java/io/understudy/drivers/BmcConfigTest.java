package io.understudy.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.understudy.model.config.Bmc;
import io.understudy.model.config.ConfigError;
import io.understudy.model.config.ConfigValidator;
import io.understudy.model.config.DataCenterConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The BMC fields of a data-center file: they bind from YAML into {@link Bmc}, and the validator names each bad one. */
class BmcConfigTest {
    // As strict as the server's loader (state's Json), which this module does not depend on.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static DataCenterConfig dc(String bmc) throws Exception {
        return YAML.readValue("""
                name: t
                enclosures: [{id: enc1, bays: 4}]
                servers:
                  - {id: a, location: enc1/bay1, model: M, cores: 8, memoryGib: 64, bmc: %s}
                """.formatted(bmc), DataCenterConfig.class);
    }

    private static List<String> errors(String bmc) throws Exception {
        return ConfigValidator.validate(dc(bmc)).stream().map(ConfigError::toString).toList();
    }

    @Test
    void load_everyDriversFields_bindAndValidate() throws Exception {
        String redfish = """
                {driver: redfish, endpoint: "https://10.0.0.5/redfish/v1/Systems/1", username: admin, passwordFile: /etc/understudy/a.pw,
                 certificateSha256: "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89", timeout: PT5S}""";
        Bmc b = dc(redfish).servers().get(0).bmc();
        assertThat(b.driver()).isEqualTo("redfish");
        assertThat(b.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.passwordFile()).isEqualTo("/etc/understudy/a.pw");
        assertThat(errors(redfish)).isEmpty();

        String fence = """
                {driver: fence-agent, agent: fence_ipmilan, endpoint: "10.0.0.6:623", username: admin, passwordEnv: BMC_PW,
                 options: {lanplus: "1", cipher: "3"}}""";
        assertThat(dc(fence).servers().get(0).bmc().options()).containsEntry("lanplus", "1").containsEntry("cipher", "3");
        assertThat(errors(fence)).isEmpty();

        String ipmi = "{driver: ipmi, endpoint: \"10.0.0.7\", username: admin, passwordEnv: BMC_PW, cipherSuite: 17, retries: 2}";
        assertThat(dc(ipmi).servers().get(0).bmc().cipherSuiteOr(3)).isEqualTo(17);
        assertThat(errors(ipmi)).isEmpty();
        assertThat(new Bmc("sim", "sim://enc1/bay1").driver()).isEqualTo("sim");
    }

    @Test
    void validate_badBmcSettings_namesEachField() throws Exception {
        assertThat(errors("{driver: ipmi, endpoint: \"10.0.0.7\", username: admin, cipherSuite: 0}")).contains(
                "servers[0].bmc.passwordFile: expected passwordFile or passwordEnv (the password is never written in the file itself)",
                "servers[0].bmc.cipherSuite: cipher suite 0 accepts any password; expected 1..17 (3 is the usual one)");
        assertThat(errors("{driver: redfish, endpoint: \"http://10.0.0.5\", username: a, passwordEnv: X, certificateSha256: abc}"))
                .anyMatch(s -> s.startsWith("servers[0].bmc.endpoint: expected https://"))
                .anyMatch(s -> s.startsWith("servers[0].bmc.certificateSha256: expected a SHA-256 fingerprint"));
        assertThat(errors("{driver: fence-agent, agent: fence_x, options: {action: reboot, password: x}}")).contains(
                "servers[0].bmc.options.action: set by understudy itself (use endpoint, username, passwordEnv or passwordFile)",
                "servers[0].bmc.options.password: set by understudy itself (use endpoint, username, passwordEnv or passwordFile)");
        assertThat(errors("{driver: telnet}")).contains("servers[0].bmc.driver: unknown driver 'telnet' (expected one of [fence-agent, ipmi, redfish, sim])");
        assertThat(errors("{driver: ipmi, endpoint: h, username: a, passwordEnv: X, passwordFile: /f, timeout: PT0S}"))
                .contains("servers[0].bmc.passwordFile: set passwordEnv or passwordFile, not both", "servers[0].bmc.timeout: expected a positive duration");
    }

    @Test
    void toString_ofBmc_namesThePasswordSourceOnly() {
        Bmc b = new Bmc("ipmi", "h", "admin", "BMC_PW", null, null, null, 3, null, null, null, null);
        assertThat(b.toString()).contains("passwordEnv=BMC_PW");
    }
}

package io.understudy.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.understudy.model.config.Bmc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
    @TempDir
    Path dir;

    private static Bmc bmc(String env, String file) {
        return new Bmc("ipmi", "h", "admin", env, file, null, null, 3, null, null, null, null);
    }

    @Test
    void of_passwordFile_readsItWithoutTrailingNewline() throws Exception {
        Path f = dir.resolve("pw");
        Files.writeString(f, "s3cret\n");
        Credentials c = Credentials.of(bmc(null, f.toString()));
        assertThat(c.password()).isEqualTo("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret").contains("file " + f);
    }

    @Test
    void of_passwordEnv_readsTheVariable() throws Exception {
        Credentials c = Credentials.of(bmc("BMC_PW", null), Map.of("BMC_PW", "s3cret")::get);
        assertThat(c.password()).isEqualTo("s3cret");
        assertThat(c.redact("error: bad password s3cret given")).isEqualTo("error: bad password **** given");
    }

    @Test
    void of_missingSource_isAuthNamingTheSourceOnly() {
        DriverException env = catchThrowableOfType(DriverException.class, () -> Credentials.of(bmc("NOPE", null), k -> null));
        assertThat(env.kind()).isEqualTo(DriverException.Kind.AUTH);
        assertThat(env.getMessage()).contains("NOPE");
        DriverException file = catchThrowableOfType(DriverException.class, () -> Credentials.of(bmc(null, dir.resolve("none").toString())));
        assertThat(file.kind()).isEqualTo(DriverException.Kind.AUTH);
    }
}

package io.understudy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
    @TempDir
    Path dir;

    Path file() {
        return dir.resolve(".config/understudy/client.yaml");
    }

    @Test
    void load_optionsGiven_winOverEnvAndFile() throws Exception {
        ClientConfig.write(file(), List.of("http://file:1"), "file-token");
        Map<String, String> env = Map.of("UNDERSTUDY_URL", "http://env:2", "UNDERSTUDY_TOKEN", "env-token");

        ClientConfig c = ClientConfig.load("http://opt:3/", "opt-token", env, file());

        assertThat(c.urls()).containsExactly("http://opt:3");
        assertThat(c.token()).isEqualTo("opt-token");
    }

    @Test
    void load_envGiven_winsOverFile() throws Exception {
        ClientConfig.write(file(), List.of("http://file:1"), "file-token");

        ClientConfig c = ClientConfig.load(null, null, Map.of("UNDERSTUDY_URL", "http://a:1, http://b:2", "UNDERSTUDY_TOKEN", "env-token"), file());

        assertThat(c.urls()).containsExactly("http://a:1", "http://b:2");
        assertThat(c.token()).isEqualTo("env-token");
    }

    @Test
    void load_onlyUrlOption_takesTokenFromFile() throws Exception {
        ClientConfig.write(file(), List.of("http://file:1"), "file-token");

        ClientConfig c = ClientConfig.load("http://opt:3", null, Map.of(), file());

        assertThat(c.urls()).containsExactly("http://opt:3");
        assertThat(c.token()).isEqualTo("file-token");
    }

    @Test
    void writeThenLoad_severalUrls_roundTripsPrivately() throws Exception {
        ClientConfig.write(file(), List.of("http://127.0.0.1:8080", "http://127.0.0.1:8081"), "t0k:en \"odd\"");

        ClientConfig c = ClientConfig.load(null, null, Map.of(), file());

        assertThat(c.urls()).containsExactly("http://127.0.0.1:8080", "http://127.0.0.1:8081");
        assertThat(c.token()).isEqualTo("t0k:en \"odd\"");
        assertThat(Files.readString(file())).contains("urls: [\"http://127.0.0.1:8080\", \"http://127.0.0.1:8081\"]");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        }
    }

    @Test
    void load_handWrittenFile_acceptsUrlKey() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "url: http://127.0.0.1:8080\ntoken: abc\n");

        ClientConfig c = ClientConfig.load(null, null, Map.of(), file());

        assertThat(c.urls()).containsExactly("http://127.0.0.1:8080");
        assertThat(c.token()).isEqualTo("abc");
    }

    @Test
    void load_nothingAnywhere_saysRunDemoOrPassOptions() {
        assertThatThrownBy(() -> ClientConfig.load(null, null, Map.of(), file()))
                .isInstanceOf(ClientConfigException.class)
                .hasMessageContaining("./understudy demo").hasMessageContaining("--url").hasMessageContaining("--token");
    }

    @Test
    void load_urlWithoutToken_asksForToken() {
        assertThatThrownBy(() -> ClientConfig.load("http://a:1", null, Map.of(), file()))
                .isInstanceOf(ClientConfigException.class).hasMessageStartingWith("no token for http://a:1");
    }

    @Test
    void load_badUrl_namesItsSource() {
        assertThatThrownBy(() -> ClientConfig.load(null, "t", Map.of("UNDERSTUDY_URL", "localhost:8080"), file()))
                .isInstanceOf(ClientConfigException.class).hasMessage("bad url 'localhost:8080' in UNDERSTUDY_URL: expected http://HOST:PORT");
    }

    @Test
    void load_malformedFile_namesFile() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "url: [unclosed\n");

        assertThatThrownBy(() -> ClientConfig.load(null, null, Map.of(), file()))
                .isInstanceOf(ClientConfigException.class).hasMessageStartingWith("cannot read " + file());
    }

    @Test
    void defaultFile_home_isUnderDotConfig() {
        assertThat(ClientConfig.defaultFile(Map.of("HOME", "/home/op"))).isEqualTo(Path.of("/home/op/.config/understudy/client.yaml"));
    }
}

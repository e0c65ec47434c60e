package io.understudy.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the CLI finds its server and token: {@code --url}/{@code --token}, then {@code UNDERSTUDY_URL}/{@code
 * UNDERSTUDY_TOKEN}, then {@code $HOME/.config/understudy/client.yaml} (written by {@code understudy demo}).
 */
public final class ClientConfig {
    public static final String URL_ENV = "UNDERSTUDY_URL";
    public static final String TOKEN_ENV = "UNDERSTUDY_TOKEN";

    private final List<String> urls;
    private final String token;

    public ClientConfig(List<String> urls, String token) {
        this.urls = List.copyOf(urls);
        this.token = token;
    }

    public List<String> urls() {
        return urls;
    }

    public String token() {
        return token;
    }

    public ApiClient client() {
        return new ApiClient(urls, token);
    }

    /** {@code $HOME/.config/understudy/client.yaml}; {@code user.home} when HOME is unset (Windows). */
    public static Path defaultFile(Map<String, String> env) {
        String config = env.get("XDG_CONFIG_HOME");
        if (config != null && config.startsWith("/")) return Path.of(config, "understudy", "client.yaml");
        return Path.of(home(env), ".config", "understudy", "client.yaml");
    }

    /**
     * Where understudy keeps data it makes for the user (the demo's Raft log and tokens): the XDG rule, as for the
     * client config — {@code $XDG_DATA_HOME/understudy}, else {@code $HOME/.local/share/understudy}.
     */
    public static Path dataHome(Map<String, String> env) {
        String data = env.get("XDG_DATA_HOME");
        if (data != null && data.startsWith("/")) return Path.of(data, "understudy");
        return Path.of(home(env), ".local", "share", "understudy");
    }

    private static String home(Map<String, String> env) {
        String home = env.get("HOME");
        return home == null || home.isBlank() ? System.getProperty("user.home") : home;
    }

    /** Resolves from the options (null when not given), the process environment and the default file. */
    public static ClientConfig load(String urlOption, String tokenOption) {
        Map<String, String> env = System.getenv();
        return load(urlOption, tokenOption, env, defaultFile(env));
    }

    /** Resolves url and token independently, each from the first source that has it, so {@code --url} alone works. */
    public static ClientConfig load(String urlOption, String tokenOption, Map<String, String> env, Path file) {
        List<String> urls = null;
        String urlSource = null;
        if (present(urlOption)) {
            urls = splitUrls(urlOption, "--url");
        } else if (present(env.get(URL_ENV))) {
            urls = splitUrls(env.get(URL_ENV), URL_ENV);
        }
        String token = present(tokenOption) ? tokenOption.trim() : present(env.get(TOKEN_ENV)) ? env.get(TOKEN_ENV).trim() : null;
        JsonNode fromFile = urls == null || token == null ? readFile(file) : null;
        if (urls == null && fromFile != null) {
            urls = fileUrls(fromFile, file);
            urlSource = file.toString();
        }
        if (urls == null || urls.isEmpty()) {
            throw new ClientConfigException("no understudy server configured: run ./understudy demo (it writes " + file
                    + "), or pass --url and --token, or set " + URL_ENV + " and " + TOKEN_ENV);
        }
        if (token == null && fromFile != null && present(fromFile.path("token").asText(null))) {
            token = fromFile.get("token").asText().trim();
        }
        if (token == null) {
            throw new ClientConfigException("no token for " + String.join(",", urls) + (urlSource != null ? " (from " + urlSource + ")" : "")
                    + ": pass --token, set " + TOKEN_ENV + ", or run ./understudy demo");
        }
        return new ClientConfig(urls, token);
    }

    /** Writes the client file the demo leaves for the CLI, readable by its owner only where the filesystem allows. */
    public static void write(Path file, List<String> urls, String token) throws IOException {
        if (urls == null || urls.isEmpty()) throw new IllegalArgumentException("at least one url is needed");
        StringBuilder text = new StringBuilder("# written by understudy demo; read by the understudy command\n");
        if (urls.size() == 1) {
            text.append("url: ").append(quote(urls.get(0))).append('\n');
        } else {
            List<String> quoted = urls.stream().map(ClientConfig::quote).toList();
            text.append("urls: [").append(String.join(", ", quoted)).append("]\n");
        }
        text.append("token: ").append(quote(token)).append('\n');

        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            else Files.createDirectories(dir);
        }
        // Write a private temp file and move it in, so the token is never readable by others, not even briefly.
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, ".client", ".yaml.tmp", attrs);
        try {
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static JsonNode readFile(Path file) {
        try {
            JsonNode n = Json.YAML.readTree(Files.readString(file));
            if (n == null || n.isMissingNode() || n.isNull()) return null;
            if (!n.isObject()) throw new ClientConfigException("cannot read " + file + ": expected keys url (or urls) and token");
            return n;
        } catch (NoSuchFileException e) {
            return null;
        } catch (JsonProcessingException e) {
            throw new ClientConfigException("cannot read " + file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ClientConfigException("cannot read " + file + ": " + e);
        }
    }

    private static List<String> fileUrls(JsonNode n, Path file) {
        JsonNode urls = n.has("urls") ? n.get("urls") : n.get("url");
        if (urls == null || urls.isNull()) return null;
        if (urls.isArray()) {
            List<String> out = new ArrayList<>();
            urls.forEach(u -> out.addAll(splitUrls(u.asText(), file.toString())));
            return out;
        }
        return splitUrls(urls.asText(), file.toString());
    }

    /** Accepts {@code http://a:8080,http://b:8080} so one option or variable can name every node. */
    static List<String> splitUrls(String text, String source) {
        List<String> out = new ArrayList<>();
        for (String raw : Arrays.asList(text.split(","))) {
            String u = raw.trim();
            while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
            if (u.isEmpty()) continue;
            URI uri;
            try {
                uri = URI.create(u);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new ClientConfigException("bad url '" + raw.trim() + "' in " + source + ": expected http://HOST:PORT");
            }
            out.add(u);
        }
        return out;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String quote(String s) {
        try {
            // A JSON string is a valid YAML double-quoted scalar, so any token survives the round trip.
            return Json.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.understudy.server;

import com.fasterxml.jackson.core.type.TypeReference;
import io.understudy.state.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens and their roles, kept in {@code tokens.json} in the data directory (mode 0600). The first start
 * creates one token per role; operators add more by editing the file.
 */
public final class Tokens {
    public enum Role { VIEWER, OPERATOR, ADMIN }

    public record Token(String name, Role role, String token) {}

    private final List<Token> tokens;

    private Tokens(List<Token> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    public static Tokens loadOrCreate(Path dataDir) throws IOException {
        return loadOrCreateFile(dataDir.resolve("tokens.json"));
    }

    /**
     * The tokens in {@code file}, created with fresh random tokens when missing. Several nodes of one group may share
     * a file and start at once: the file appears whole (linked from a private temporary file) and the first writer wins.
     */
    public static Tokens loadOrCreateFile(Path file) throws IOException {
        if (Files.exists(file)) {
            return new Tokens(Json.MAPPER.readValue(file.toFile(), new TypeReference<List<Token>>() {}));
        }
        List<Token> fresh = List.of(new Token("admin", Role.ADMIN, random()), new Token("operator", Role.OPERATOR, random()),
                new Token("viewer", Role.VIEWER, random()));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".tokens", ".json");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system: the file keeps the default mode.
            }
            Files.writeString(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(fresh));
            Files.createLink(file, temp);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            return new Tokens(Json.MAPPER.readValue(file.toFile(), new TypeReference<List<Token>>() {}));
        } finally {
            Files.deleteIfExists(temp);
        }
        return new Tokens(fresh);
    }

    public Optional<Token> find(String bearer) {
        if (bearer == null) return Optional.empty();
        // Compare every token in constant time so a wrong token does not reveal how much of it matched.
        Token found = null;
        for (Token t : tokens) {
            if (java.security.MessageDigest.isEqual(t.token().getBytes(), bearer.getBytes())) found = t;
        }
        return Optional.ofNullable(found);
    }

    public Token first(Role role) {
        return tokens.stream().filter(t -> t.role() == role).findFirst().orElseThrow();
    }

    private static String random() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

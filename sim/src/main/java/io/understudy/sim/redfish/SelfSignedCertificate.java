package io.understudy.sim.redfish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for a simulated BMC, made with the JDK's {@code keytool} (as an operator would for a
 * lab BMC), valid for 127.0.0.1 and localhost. Its SHA-256 fingerprint is what a driver pins; its PEM file can serve
 * as a one-certificate trust store.
 */
public record SelfSignedCertificate(Path keyStore, Path pem, String sha256, char[] password) {

    /** Creates the key pair and certificate in {@code dir} (a fresh temporary directory). */
    public static SelfSignedCertificate create(Path dir, String commonName) throws IOException {
        return create(dir, commonName, "127.0.0.1");
    }

    /** As {@link #create(Path, String)}, for a service reached at {@code address} (also named in the certificate). */
    public static SelfSignedCertificate create(Path dir, String commonName, String address) throws IOException {
        Path ks = dir.resolve("bmc.p12");
        Path pem = dir.resolve("bmc.pem");
        byte[] raw = new byte[18];
        new SecureRandom().nextBytes(raw);
        String pass = HexFormat.of().formatHex(raw);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        // The store password goes through the environment, not the command line.
        keytool(pass, keytool, "-genkeypair", "-alias", "bmc", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-validity", "30", "-dname", "CN=" + commonName, "-ext", "san=ip:127.0.0.1,dns:localhost" + (address.equals("127.0.0.1") ? "" : ",ip:" + address),
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass:env", "SIM_BMC_STORE_PASS");
        try {
            KeyStore store = load(ks, pass.toCharArray());
            X509Certificate cert = (X509Certificate) store.getCertificate("bmc");
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            String sha = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            return new SelfSignedCertificate(ks, pem, sha, pass.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate keytool made: " + e.getMessage(), e);
        }
    }

    /** A server-side TLS context presenting this certificate. */
    public SSLContext serverContext() throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore, password), password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path ks, char[] pass) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, pass);
        }
        return store;
    }

    private static void keytool(String pass, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(args)).redirectErrorStream(true);
        pb.environment().put("SIM_BMC_STORE_PASS", pass);
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool failed: " + new String(out).strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool");
        }
    }

    @Override
    public String toString() {
        return "SelfSignedCertificate[" + keyStore + ", SHA-256 " + sha256 + "]";
    }
}

package io.understudy.drivers.redfish;

import io.understudy.drivers.DriverException;
import io.understudy.model.config.Bmc;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which certificates a Redfish BMC may present: exactly the pinned one (self-signed BMC certificates are normal),
 * those issued by the CAs of a trust store file, or else the JDK's CAs. There is deliberately no way to trust any
 * certificate: a fence order sent to an impostor would "confirm" a fence that never happened.
 */
public final class RedfishTls {
    private RedfishTls() {}

    public static SSLContext context(Bmc bmc) throws DriverException {
        try {
            if (bmc.certificateSha256() != null) return context(new PinnedTrustManager(parsePin(bmc.certificateSha256())));
            if (bmc.trustStore() != null) return context(trustStore(Path.of(bmc.trustStore())));
            return SSLContext.getDefault();
        } catch (GeneralSecurityException | IOException e) {
            throw new DriverException(DriverException.Kind.AUTH, "TLS: cannot use trust settings ("
                    + (bmc.trustStore() == null ? "pin" : "trust store " + bmc.trustStore()) + "): " + e.getMessage());
        }
    }

    private static SSLContext context(TrustManager tm) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, null);
        return ctx;
    }

    private static TrustManager trustStore(Path pem) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + i++, c);
            if (i == 0) throw new CertificateException("no certificate in " + pem);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers()[0];
    }

    static byte[] parsePin(String pin) {
        return HexFormat.of().parseHex(pin.replace(":", "").toLowerCase(Locale.ROOT));
    }

    /** The SHA-256 fingerprint of a certificate, as {@code AB:CD:…} (what {@code keytool -list} and browsers show). */
    public static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Accepts the one certificate whose SHA-256 fingerprint is pinned, whatever its issuer and names: the pin is the
     * trust decision (what fence_redfish and ipmitool users do with self-signed BMC certificates, made explicit).
     */
    static final class PinnedTrustManager extends X509ExtendedTrustManager {
        private final byte[] pin;

        PinnedTrustManager(byte[] pin) {
            this.pin = pin.clone();
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) throw new CertificateException("BMC presented no certificate");
            byte[] seen;
            try {
                seen = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
            } catch (NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
            if (!MessageDigest.isEqual(seen, pin)) {
                throw new CertificateException("BMC certificate SHA-256 " + fingerprint(chain[0]) + " does not match the pinned "
                        + HexFormat.ofDelimiter(":").withUpperCase().formatHex(pin) + " (subject " + chain[0].getSubjectX500Principal().getName() + ")");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

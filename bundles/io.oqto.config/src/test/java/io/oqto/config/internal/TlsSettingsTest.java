package io.oqto.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [server] tls_cert} and {@code tls_key}: PEM files made by the real {@code openssl}, turned into the keystore
 * pax-web loads, HTTPS instead of HTTP on the port; bad files refused with what is wrong, changing nothing.
 */
class TlsSettingsTest {

    private final FakeConfigAdmin cm = new FakeConfigAdmin();

    @TempDir
    Path dir;

    private Path cert;
    private Path key;

    @BeforeEach
    void makeCertificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        selfSigned("oqto.test");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    /** An EC P-256 certificate for {@code cn} in {@link #cert}, its PKCS#8 key in {@link #key}. */
    private void selfSigned(String cn) throws IOException, InterruptedException {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + cn,
                "-keyout",
                key.toString(),
                "-out",
                cert.toString());
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl finishes");
        assertEquals(0, p.exitValue(), "openssl " + cmd + ": " + out);
    }

    private Path config(String text) throws IOException {
        return Files.writeString(dir.resolve("config.toml"), text);
    }

    private String tls() {
        return "[server]\nport = 9443\ntls_cert = \"" + cert + "\"\ntls_key = \"" + key + "\"\n";
    }

    private ConfigPublisher publisher(Path file) {
        return new ConfigPublisher(cm.admin(), Map.of(), file, false, true, dir.resolve("data/tls"));
    }

    @Test
    void theCertificateAndKeyBecomeAPrivateKeystoreServedInsteadOfHttp() throws Exception {
        publisher(config(tls())).deactivate();
        Dictionary<String, Object> web = cm.published.get("org.ops4j.pax.web");
        assertEquals("false", web.get("org.osgi.service.http.enabled"));
        assertEquals("true", web.get("org.osgi.service.http.secure.enabled"));
        assertEquals("9443", web.get("org.osgi.service.http.port.secure"));
        Path keystore = dir.resolve("data/tls/oqto.p12");
        assertEquals(keystore.toString(), web.get("org.ops4j.pax.web.ssl.keystore"));
        assertEquals("PKCS12", web.get("org.ops4j.pax.web.ssl.keystore.type"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));

        String password = (String) web.get("org.ops4j.pax.web.ssl.keystore.password");
        assertEquals(password, web.get("org.ops4j.pax.web.ssl.key.password"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        assertEquals(
                "CN=oqto.test",
                ((X509Certificate) store.getCertificate("oqto"))
                        .getSubjectX500Principal()
                        .getName());
        assertEquals("EC", store.getKey("oqto", password.toCharArray()).getAlgorithm());
    }

    @Test
    void otherEditsKeepTheKeystoreAndRemovingTlsServesHttpAgain() throws Exception {
        Path file = config(tls());
        ConfigPublisher p = publisher(file);
        try {
            Object password = cm.published.get("org.ops4j.pax.web").get("org.ops4j.pax.web.ssl.keystore.password");
            int changes = cm.changes.get();
            write(file, tls() + "[routing]\npool_size = 5\n", 1);
            p.reloadIfChanged();
            assertEquals(5, cm.published.get("oqto.routing").get("poolSize"));
            assertEquals(
                    password,
                    cm.published.get("org.ops4j.pax.web").get("org.ops4j.pax.web.ssl.keystore.password"),
                    "the same keystore: Jetty is not restarted by an unrelated edit");
            assertEquals(changes + 1, cm.changes.get(), "only [routing] changed");

            selfSigned("renewed.test");
            write(file, tls() + "[routing]\npool_size = 6\n", 2);
            p.reloadIfChanged();
            assertNotEquals(
                    password,
                    cm.published.get("org.ops4j.pax.web").get("org.ops4j.pax.web.ssl.keystore.password"),
                    "a renewed certificate makes a new keystore");

            write(file, "[server]\nport = 9443\n", 3);
            p.reloadIfChanged();
            Dictionary<String, Object> web = cm.published.get("org.ops4j.pax.web");
            assertEquals("true", web.get("org.osgi.service.http.enabled"));
            assertEquals("false", web.get("org.osgi.service.http.secure.enabled"));
            assertNull(web.get("org.ops4j.pax.web.ssl.keystore.password"));
            assertNull(web.get("org.ops4j.pax.web.ssl.keystore"));
            assertNull(web.get(ConfigPublisher.TLS_SOURCE));
        } finally {
            p.deactivate();
        }
    }

    @Test
    void aKeyOthersCanReadIsRefusedAtStartAndNothingIsPublished() throws Exception {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Path file = config(tls());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> publisher(file));
        assertEquals(
                "[server] tls_key: " + key + " can be read by other users (mode rw-r--r--); make it 0600 and the "
                        + "control plane's own",
                e.getMessage());
        assertTrue(cm.published.isEmpty(), "nothing is published: " + cm.published.keySet());
    }

    @Test
    void aBrokenEditOfTheTlsFilesKeepsTheLastGoodSettings() throws Exception {
        Path file = config(tls());
        ConfigPublisher p = publisher(file);
        try {
            Dictionary<String, Object> before = cm.published.get("org.ops4j.pax.web");
            Path other = dir.resolve("other.pem");
            openssl(
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=other.test",
                    "-keyout",
                    dir.resolve("other.key").toString(),
                    "-out",
                    other.toString());
            write(file, tls().replace(cert.toString(), other.toString()) + "[routing]\npool_size = 7\n", 1);
            int changes = cm.changes.get();
            p.reloadIfChanged();
            assertEquals(changes, cm.changes.get(), "a key that is not the certificate's changes nothing");
            assertNull(cm.published.get("oqto.routing").get("poolSize"), "nor any other section");
            assertEquals(
                    before.get("org.ops4j.pax.web.ssl.keystore.password"),
                    cm.published.get("org.ops4j.pax.web").get("org.ops4j.pax.web.ssl.keystore.password"));
        } finally {
            p.deactivate();
        }
    }

    @Test
    void refusalsNameWhatIsWrong() throws Exception {
        Path rsa = dir.resolve("rsa.key");
        openssl("genrsa", "-traditional", "-out", rsa.toString(), "2048");
        Files.setPosixFilePermissions(rsa, PosixFilePermissions.fromString("rw-------"));
        assertEquals(
                "[server] tls_key: " + rsa + " is a RSA PRIVATE KEY; give an unencrypted PKCS#8 key (BEGIN PRIVATE"
                        + " KEY): openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8",
                refusal(tls().replace(key.toString(), rsa.toString())));
        assertEquals(
                "[server] tls_key: " + rsa + " is not the key of the certificate in " + cert + " (CN=oqto.test)",
                refusalAfterConverting(rsa));
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        assertTrue(refusal(tls().replace(cert.toString(), notPem.toString()))
                .startsWith("[server] tls_cert: " + notPem + " is not a PEM certificate: "));
        assertEquals(
                "[server] tls_cert and tls_key: set both (HTTPS), or neither (HTTP)",
                refusal("[server]\ntls_cert = \"" + cert + "\"\n"));
        assertEquals(
                "[server] tls_cert/tls_key: cannot read " + dir.resolve("gone.pem"),
                refusal(tls().replace(cert.toString(), dir.resolve("gone.pem").toString())));
    }

    /** The message after converting the RSA key to PKCS#8 as the refusal says: a key of another certificate. */
    private String refusalAfterConverting(Path rsa) throws Exception {
        Path pk8 = dir.resolve("rsa.pk8");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", rsa.toString(), "-out", pk8.toString());
        Files.move(pk8, rsa, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(rsa, PosixFilePermissions.fromString("rw-------"));
        return refusal(tls().replace(key.toString(), rsa.toString()));
    }

    private String refusal(String config) throws IOException {
        Path file = config(config);
        return assertThrows(IllegalStateException.class, () -> publisher(file)).getMessage();
    }

    private static void write(Path file, String text, int secondsLater) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
    }
}

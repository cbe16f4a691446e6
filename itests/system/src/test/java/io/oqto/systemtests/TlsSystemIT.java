package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The control plane served over TLS from {@code [server] tls_cert} and {@code tls_key} (PEM files made by openssl, as
 * an operator's CA would hand them out): HTTPS on the port instead of HTTP, the login link says https, and the
 * session cookie a browser gets there is {@code Secure}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsSystemIT {

    private Path work;
    private Distribution controlPlane;
    private Path log;
    private Path state;
    private int port;
    private HttpClient https;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "oqto-tls-");
        controlPlane = Distribution.unpack("oqto.controlPlane.tarball", work.resolve("cp"));
        Path home = Files.createDirectories(work.resolve("home"));
        state = home.resolve(".local/state/oqto");
        Path cert = work.resolve("cert.pem");
        Path key = work.resolve("key.pem");
        Commands.runOk(List.of(
                "openssl",
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
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        port = Commands.freePort();
        Path config = Files.writeString(
                work.resolve("config.toml"),
                "[server]\nport = " + port + "\ntls_cert = \"" + cert + "\"\ntls_key = \"" + key + "\"\n");
        log = work.resolve("cp.log");
        controlPlane.start(
                "oqto",
                List.of(),
                Map.of(
                        "HOME", home.toString(),
                        "OQTO_CONFIG", config.toString(),
                        "OQTO_MODE", "single-user",
                        "JAVA_HOME", System.getProperty("java.home"),
                        "XDG_RUNTIME_DIR", work.resolve("rt").toString()),
                log);
        https = HttpClient.newBuilder()
                .sslContext(trusting(cert))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        Commands.waitFor(
                "GET https://…/api/health answers 200",
                Duration.ofSeconds(90),
                () -> status("/api/health") == 200,
                log);
    }

    /** Trusts this one certificate, and checks the host name against it as a browser would. */
    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry(
                    "oqto", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private int status(String path) {
        try {
            return https.send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            Distribution.stopAll(controlPlane);
        } finally {
            Commands.runOk(List.of("rm", "-rf", work.toString()));
        }
    }

    @Test
    void theLoginLinkIsHttpsAndItsCookieIsSecureAndPlainHttpIsNotServed() throws Exception {
        String link = Files.readString(state.resolve("login.url")).strip();
        assertTrue(
                link.matches("https://127\\.0\\.0\\.1:" + port + "/api/v1/auth/link\\?code=olc_[A-Za-z0-9_-]{43}"),
                link);

        HttpResponse<String> signedIn =
                https.send(HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("oqto_session=oqs_"), cookie);
        List<String> attributes =
                java.util.Arrays.stream(cookie.split(";")).map(String::strip).toList();
        assertTrue(attributes.containsAll(List.of("Secure", "HttpOnly", "SameSite=Lax", "Path=/")), cookie);
        HttpResponse<String> me = https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/me"))
                        .header("Cookie", cookie.replaceAll(";.*", ""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());

        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThrows(
                IOException.class,
                () -> plain.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()),
                "no plain HTTP on the TLS port");

        Path keystore = controlPlane.home.resolve("data/tls/oqto.p12");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
    }
}

package io.oqto.config.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code [server] tls_cert} and {@code tls_key} (PEM, as certbot and most CAs hand them out) into the PKCS#12
 * keystore pax-web's Jetty loads. The keystore's password is random and made anew each time: it protects nothing the
 * keystore's mode (0600, the control plane's own) does not, so it may sit in pax-web's configuration. The key file
 * itself must not be readable by other users.
 */
final class TlsKeystore {

    /** The keystore written and the password that opens it (and its key). */
    record Written(Path keystore, String password) {}

    private static final Pattern PEM_KEY =
            Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");
    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private TlsKeystore() {}

    static Written write(Path certFile, Path keyFile, Path keystore) throws ConfigError {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new ConfigError("[server] tls_key: " + keyFile + " is not the key of the certificate in " + certFile
                    + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("oqto", key, password.toCharArray(), chain.toArray(new Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password.toCharArray());
            writePrivately(keystore, out.toByteArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigError(
                    "[server] tls_cert: cannot write the TLS keystore " + keystore + ": " + e.getMessage());
        }
        return new Written(keystore, password);
    }

    /**
     * What the keystore is made from, to tell when to make it again: the certificate file's SHA-256 and the key
     * file's size and modification time (nothing of the key itself).
     */
    static String source(Path certFile, Path keyFile) throws ConfigError {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(certFile));
            return certFile + "@" + java.util.HexFormat.of().formatHex(digest) + " " + keyFile + "@"
                    + Files.size(keyFile) + "/"
                    + Files.getLastModifiedTime(keyFile).toMillis();
        } catch (IOException e) {
            throw new ConfigError("[server] tls_cert/tls_key: cannot read " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws ConfigError {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (chain.isEmpty()) {
                throw new ConfigError("[server] tls_cert: " + file + " holds no certificate");
            }
            return chain;
        } catch (IOException e) {
            throw new ConfigError("[server] tls_cert: cannot read " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigError("[server] tls_cert: " + file + " is not a PEM certificate: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file) throws ConfigError {
        String text;
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(OTHERS::contains)) {
                throw new ConfigError("[server] tls_key: " + file + " can be read by other users (mode "
                        + PosixFilePermissions.toString(mode) + "); make it 0600 and the control plane's own");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigError("[server] tls_key: cannot read " + file + ": " + e.getMessage());
        }
        Matcher m = PEM_KEY.matcher(text);
        if (!m.find()) {
            throw new ConfigError("[server] tls_key: " + file + " holds no PEM private key");
        }
        if (!m.group(1).isEmpty()) {
            // "RSA PRIVATE KEY", "EC PRIVATE KEY" (PKCS#1, SEC 1) or "ENCRYPTED PRIVATE KEY": not PKCS#8 in the clear.
            throw new ConfigError(
                    "[server] tls_key: " + file + " is a " + m.group(1).strip()
                            + " PRIVATE KEY; give an unencrypted PKCS#8 key (BEGIN PRIVATE KEY): "
                            + "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // the next algorithm
            }
        }
        throw new ConfigError("[server] tls_key: " + file + " is not an RSA, EC or EdDSA private key");
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "oqto tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certified);
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key beside an RSA certificate
        }
    }

    /** Written beside itself and moved into place: Jetty never sees half a keystore. 0600 from the start. */
    private static void writePrivately(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(
                target.getParent(),
                ".keystore-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

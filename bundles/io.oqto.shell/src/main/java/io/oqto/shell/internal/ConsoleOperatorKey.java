package io.oqto.shell.internal;

import io.oqto.api.unix.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's one operator account, {@code oqto}, logs in with a key, never a password: the private key
 * is {@code data/operator.key} (0600, the control plane's user; root reads it too), the public key is the
 * account's entry in {@code etc/keys.properties}. {@code etc/org.apache.karaf.shell.cfg} allows only
 * public-key logins, so nobody else on the machine can open a console, however they guess, and nothing
 * secret ever goes on a command line ({@code bin/client -k} takes the key's path).
 *
 * <p>Made on the first start, kept afterwards; deleting either file makes a new pair on the next start.
 */
@Component(immediate = true)
public final class ConsoleOperatorKey {

    static final String OPERATOR = "oqto";
    static final String GROUP = "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleOperatorKey.class);

    @Activate
    public ConsoleOperatorKey(BundleContext context) throws IOException, GeneralSecurityException {
        Path key = Path.of(context.getProperty("karaf.data"), "operator.key");
        if (ensure(key, Path.of(context.getProperty("karaf.etc"), "keys.properties"))) {
            LOG.info("console operator key created: {} (public key in etc/keys.properties)", key);
        }
    }

    /** Makes the key pair unless both files are there; true when it made one. */
    static boolean ensure(Path privateKey, Path keysProperties) throws IOException, GeneralSecurityException {
        if (Files.isRegularFile(privateKey)
                && Files.isRegularFile(keysProperties)
                && Files.readAllLines(keysProperties).stream().anyMatch(l -> l.startsWith(OPERATOR + " = "))) {
            return false;
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "oqto console operator", null, pem);
        // The public half first, and the private one in one step: bin/oqto-shell uses the key as soon as it appears.
        String blob = PublicKeyEntry.toString(pair.getPublic()).split(" ", -1)[1];
        PrivateFiles.write(
                keysProperties,
                "# Console accounts that log in with a key (bin/oqto-shell: data/operator.key).\n"
                        + "# Made by the control plane on first start; delete this file and data/operator.key for a new pair.\n"
                        + OPERATOR + " = " + blob + ",_g_:admingroup\n" + GROUP + "\n");
        Path fresh = privateKey.resolveSibling(privateKey.getFileName() + ".new");
        PrivateFiles.write(fresh, pem.toString(StandardCharsets.US_ASCII));
        Files.move(fresh, privateKey, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }
}

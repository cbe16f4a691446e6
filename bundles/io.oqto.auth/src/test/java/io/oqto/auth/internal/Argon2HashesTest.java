package io.oqto.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Password hashes against the reference Argon2 implementation's command-line tool ({@code argon2}, Debian's package,
 * installed by scripts/install-test-deps): the same bytes both ways, so the hashes are real Argon2id in the PHC
 * format that every Argon2 library reads.
 */
class Argon2HashesTest {

    /** The reference tool's encoded hash; the password goes on its standard input, the salt is not secret. */
    private static String reference(String password, String salt, String... params) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("argon2", salt, "-id", "-e"));
        argv.addAll(List.of(params));
        Process p = new ProcessBuilder(argv).start();
        p.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "argon2 finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), "argon2 (scripts/install-test-deps installs it): " + out);
        return out;
    }

    @Test
    void ourHashIsTheReferenceToolsForTheSameSaltAndParameters() throws Exception {
        String salt = "sixteen-byte-slt";
        assertEquals(
                reference("correct horse ☃ battery", salt, "-t", "2", "-k", "19456", "-p", "1", "-l", "32"),
                Argon2Hashes.hash("correct horse ☃ battery".toCharArray(), salt.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theReferenceToolsHashesVerifyWhateverTheirParameters() throws Exception {
        String other = reference("hunter22hunter22", "anothersaltvalue", "-t", "3", "-k", "4096", "-p", "2");
        assertTrue(Argon2Hashes.verify("hunter22hunter22".toCharArray(), other), other);
        assertFalse(Argon2Hashes.verify("hunter22hunter23".toCharArray(), other));
    }

    @Test
    void aNewHashHasItsOwnSaltAndTheRecommendedParameters() {
        String a = Argon2Hashes.hash("same password".toCharArray());
        String b = Argon2Hashes.hash("same password".toCharArray());
        assertTrue(a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), a);
        assertFalse(a.equals(b), "a fresh salt each time");
        assertTrue(Argon2Hashes.verify("same password".toCharArray(), b));
        assertFalse(Argon2Hashes.verify("same password".toCharArray(), "$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$x"));
        assertFalse(Argon2Hashes.verify("same password".toCharArray(), "plain text"));
    }
}

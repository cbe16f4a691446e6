package io.oqto.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleOperatorKeyTest {

    @TempDir
    Path dir;

    @Test
    void makesAPairOnlyItsOwnerCanReadWhoseHalvesMatch() throws Exception {
        Path key = dir.resolve("data/operator.key");
        Path keys = dir.resolve("etc/keys.properties");
        assertTrue(ConsoleOperatorKey.ensure(key, keys));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        // Read back the way the console client reads it.
        KeyPair loaded;
        try (var in = Files.newInputStream(key)) {
            loaded = SecurityUtils.loadKeyPairIdentities(null, () -> key.toString(), in, null)
                    .iterator()
                    .next();
        }
        String blob = PublicKeyEntry.toString(loaded.getPublic()).split(" ", -1)[1];
        List<String> entries = Files.readAllLines(keys).stream()
                .filter(l -> !l.startsWith("#"))
                .toList();
        assertEquals(List.of("oqto = " + blob + ",_g_:admingroup", ConsoleOperatorKey.GROUP), entries);
        assertFalse(Files.exists(dir.resolve("data/operator.key.new")));
    }

    @Test
    void keepsAnExistingPairAndReplacesAHalfOne() throws Exception {
        Path key = dir.resolve("operator.key");
        Path keys = dir.resolve("keys.properties");
        ConsoleOperatorKey.ensure(key, keys);
        String first = Files.readString(key);
        assertFalse(ConsoleOperatorKey.ensure(key, keys), "a restart keeps the pair");
        assertEquals(first, Files.readString(key));
        Files.delete(keys);
        assertTrue(ConsoleOperatorKey.ensure(key, keys), "a lost public half means a new pair");
        assertFalse(first.equals(Files.readString(key)));
    }
}

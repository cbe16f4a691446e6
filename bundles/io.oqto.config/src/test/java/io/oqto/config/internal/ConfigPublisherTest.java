package io.oqto.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPublisherTest {

    private final FakeConfigAdmin cm = new FakeConfigAdmin();

    @Test
    void publishesEachSectionAsItsOwnPid(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("config.toml"), "[routing]\npool_size = 3\nsocket_pattern = \"/s/{uid}\"\n");
        ConfigPublisher p = new ConfigPublisher(cm.admin(), Map.of("OQTO_RUNNER__SOCKET", "/tmp/x.sock"), file, false);
        try {
            assertEquals(3, cm.published.get("oqto.routing").get("poolSize"));
            assertEquals("/s/{uid}", cm.published.get("oqto.routing").get("socketPattern"));
            assertEquals("/tmp/x.sock", cm.published.get("oqto.runner").get("socket"));
            assertEquals(file.toString(), cm.published.get("oqto.server").get("oqto.config.file"));
            assertNull(cm.published.get("org.ops4j.pax.web"), "pax-web untouched when [server] sets no port or bind");
        } finally {
            p.deactivate();
        }
    }

    @Test
    void copiesServerPortAndBindToPaxWeb(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config.toml"), "[server]\nport = 9123\nbind = \"127.0.0.2\"\n");
        ConfigPublisher p = new ConfigPublisher(cm.admin(), Map.of(), file, false);
        p.deactivate();
        assertEquals("9123", cm.published.get("org.ops4j.pax.web").get("org.osgi.service.http.port"));
        assertEquals("127.0.0.2", cm.published.get("org.ops4j.pax.web").get("org.ops4j.pax.web.listening.addresses"));
    }

    @Test
    void withoutPaxWebNothingIsPublishedForIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config.toml"), "[server]\nport = 9123\n");
        ConfigPublisher p = new ConfigPublisher(cm.admin(), Map.of(), file, false, false);
        p.deactivate();
        assertNull(cm.published.get("org.ops4j.pax.web"));
        assertEquals(9123, cm.published.get("oqto.server").get("port"));
    }

    @Test
    void aBrokenFileAtStartRefusesToActivate(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config.toml"), "[server]\nprot = 1\n");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new ConfigPublisher(cm.admin(), Map.of(), file, false));
        assertEquals(
                file
                        + ":2:1: server.prot: unknown key (known in [server]: port, bind, state_dir, tls_cert, tls_key, hold_seconds)",
                e.getMessage());
        assertTrue(cm.published.isEmpty(), "nothing is published from a broken file");
    }

    @Test
    void editsAreRepublishedAndBrokenEditsKeepTheLastGoodSettings(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config.toml"), "[routing]\npool_size = 2\n");
        ConfigPublisher p = new ConfigPublisher(cm.admin(), Map.of(), file, false);
        try {
            int before = cm.changes.get();
            p.reloadIfChanged();
            assertEquals(before, cm.changes.get(), "an unchanged file publishes nothing");

            write(file, "[routing]\npool_size = 5\n", 1);
            p.reloadIfChanged();
            assertEquals(5, cm.published.get("oqto.routing").get("poolSize"));
            int afterGoodEdit = cm.changes.get();
            assertEquals(before + 1, afterGoodEdit, "only the changed section is updated");

            write(file, "[routing]\npool_size = \"many\"\n", 2);
            p.reloadIfChanged();
            assertEquals(5, cm.published.get("oqto.routing").get("poolSize"));
            assertEquals(afterGoodEdit, cm.changes.get());
        } finally {
            p.deactivate();
        }
    }

    private static void write(Path file, String text, int secondsLater) throws Exception {
        Files.writeString(file, text);
        // Some filesystems keep one-second mtimes; make each edit visible regardless.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
    }
}

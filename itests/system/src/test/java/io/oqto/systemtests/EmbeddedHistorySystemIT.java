package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The history scenarios on the embedded store: no hstry is installed, so each runner keeps history in SQLite. */
class EmbeddedHistorySystemIT extends HistoryScenarios {

    @Override
    boolean hstry() {
        return false;
    }

    @Test
    @Order(3)
    void theDatabaseIsTheUsersAloneInTheirState() throws Exception {
        Path db = Path.of("/home/oqto_" + alice + "/.local/state/oqto/history.db");
        assertEquals("oqto_" + alice, Commands.ownerOf(db));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
        Commands.Result peek = Commands.run(
                java.util.List.of("runuser", "-u", "oqto_" + bob, "--", "cat", db.toString()),
                java.time.Duration.ofSeconds(30));
        org.junit.jupiter.api.Assertions.assertNotEquals(
                0, peek.exit(), "bob cannot read alice's history: " + peek.output());
    }
}

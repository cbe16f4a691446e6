package io.oqto.mmry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.runner.spi.memory.MemoryDraft;
import io.oqto.runner.spi.memory.MemoryException;
import io.oqto.runner.spi.memory.MemoryStore;
import io.oqto.runner.spi.memory.MemoryStoreContract;
import io.oqto.runner.spi.memory.SearchMode;
import io.oqto.testing.mmry.FakeMmry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mmry connector against the mmry double: the shared contract, and what is the connector's own. */
class MmryStoreTest extends MemoryStoreContract {

    private FakeMmry mmry;

    @BeforeEach
    void startMmry() throws Exception {
        mmry = new FakeMmry(0, "key-1");
    }

    @AfterEach
    void stopMmry() {
        mmry.close();
    }

    @Override
    protected MemoryStore store() {
        return new MmryStore(new MmryHttp(mmry.baseUrl(), "key-1", Duration.ofSeconds(5)));
    }

    @Test
    void aDirectoryIsTheStoreOfItsGitOriginElseOfItsName() throws Exception {
        assertEquals("alpha", StoreNames.of(alpha));
        Files.createDirectories(beta.resolve(".git"));
        Files.writeString(
                beta.resolve(".git/config"),
                "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@example.org:team/oqto.git\n\tfetch = +refs/heads/*\n");
        assertEquals("oqto", StoreNames.of(beta));
        Path hostile = Files.createDirectories(dir.resolve("ws/-rm"));
        assertEquals(
                "not a store name: \"-rm\" (1-64 of A-Z, a-z, 0-9, _ and -, not starting with _ or -)",
                assertThrows(
                                MemoryException.class,
                                () -> store().create(hostile, new MemoryDraft("x", null, null, null)))
                        .getMessage());
    }

    @Test
    void searchIsRankedHereAndSaysSo() throws Exception {
        MemoryStore s = store();
        s.create(alpha, new MemoryDraft("zebras are striped", null, null, null));
        var found = s.search(alpha, "zebras", 5, SearchMode.SEMANTIC);
        assertEquals(SearchMode.LEXICAL, found.mode());
        assertEquals("mmry's HTTP API has no search: its memories are ranked by words here", found.degraded());
        assertEquals(1, found.hits().size());
    }

    @Test
    void aDownDaemonOrAWrongKeyIsUnavailableNamingMmry() throws Exception {
        mmry.down(true);
        MemoryException down = assertThrows(MemoryException.class, () -> store().list(alpha, null, null, 10, 0));
        assertEquals(MemoryException.Kind.UNAVAILABLE, down.kind());
        assertEquals("mmry at " + mmry.baseUrl() + " (GET /v1/memories): 503 Service unavailable", down.getMessage());
        mmry.down(false);
        MemoryStore wrong = new MmryStore(new MmryHttp(mmry.baseUrl(), "nope", Duration.ofSeconds(5)));
        assertEquals(
                "mmry at " + mmry.baseUrl()
                        + " (GET /v1/memories): refused the key ([memory] mmry_key): Invalid API key",
                assertThrows(MemoryException.class, () -> wrong.list(alpha, null, null, 10, 0))
                        .getMessage());
        mmry.close();
        MemoryException gone = assertThrows(MemoryException.class, () -> store().list(alpha, null, null, 10, 0));
        assertEquals(
                "mmry at " + mmry.baseUrl() + " did not answer GET /v1/memories: connection refused",
                gone.getMessage());
    }
}

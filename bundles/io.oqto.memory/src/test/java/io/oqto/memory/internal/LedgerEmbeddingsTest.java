package io.oqto.memory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.oqto.runner.spi.memory.Memory;
import io.oqto.runner.spi.memory.MemoryDraft;
import io.oqto.runner.spi.memory.MemorySearch;
import io.oqto.runner.spi.memory.SearchMode;
import io.oqto.testing.mmry.FakeMmry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Semantic and hybrid search with the central embeddings service (the mmry double), its cache, and its absence. */
class LedgerEmbeddingsTest {

    @TempDir
    Path ws;

    private FakeMmry central;
    private LedgerStore store;
    private Memory target;

    @BeforeEach
    void setUp() throws Exception {
        central = new FakeMmry(0, "emb-key");
        store = new LedgerStore(new CentralEmbeddings(central.baseUrl(), "emb-key", Duration.ofSeconds(5)), false);
        store.create(ws, new MemoryDraft("the coffee machine is on the second floor", null, null, null));
        target =
                store.create(ws, new MemoryDraft("deploy with the staging script before production", null, null, null));
        store.create(ws, new MemoryDraft("lunch is at noon", null, null, null));
    }

    @AfterEach
    void tearDown() {
        central.close();
    }

    @Test
    void hybridAndSemanticRankByMeaningAndEmbedEachMemoryOnce() throws Exception {
        MemorySearch hybrid = store.search(ws, "staging deploy", 2, SearchMode.HYBRID);
        assertEquals(SearchMode.HYBRID, hybrid.mode());
        assertNull(hybrid.degraded());
        assertEquals(target.id(), hybrid.hits().get(0).memory().id());
        assertEquals(2, central.embeddingRequests(), "the memories in one batch, then the query");
        Path cache = ws.resolve(".mmry/embeddings.jsonl");
        assertEquals(3, Files.readAllLines(cache).size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        MemorySearch semantic = store.search(ws, "staging deploy", 2, SearchMode.SEMANTIC);
        assertEquals(SearchMode.SEMANTIC, semantic.mode());
        assertEquals(target.id(), semantic.hits().get(0).memory().id());
        assertEquals(3, central.embeddingRequests(), "only the query again: the memories come from the cache");
    }

    @Test
    void withRerankTheCentralServiceOrdersTheBest() throws Exception {
        LedgerStore reranking =
                new LedgerStore(new CentralEmbeddings(central.baseUrl(), "emb-key", Duration.ofSeconds(5)), true);
        MemorySearch found = reranking.search(ws, "staging deploy", 1, SearchMode.HYBRID);
        assertEquals(SearchMode.HYBRID, found.mode());
        assertEquals(target.id(), found.hits().get(0).memory().id());
    }

    @Test
    void aCentralServiceThatIsDownOrRefusesTheKeyGivesAWordSearchThatSaysWhy() throws Exception {
        central.down(true);
        MemorySearch down = store.search(ws, "staging", 5, SearchMode.HYBRID);
        assertEquals(SearchMode.LEXICAL, down.mode());
        assertEquals(
                "the central embeddings service at " + central.baseUrl() + " answered 503: ranked by words",
                down.degraded());
        assertEquals(target.id(), down.hits().get(0).memory().id(), "still an answer");
        central.down(false);
        LedgerStore wrongKey =
                new LedgerStore(new CentralEmbeddings(central.baseUrl(), "nope", Duration.ofSeconds(5)), false);
        assertEquals(
                "the central embeddings service at " + central.baseUrl() + " answered 401: ranked by words",
                wrongKey.search(ws, "staging", 5, SearchMode.SEMANTIC).degraded());
        central.close();
        assertEquals(
                "the central embeddings service at " + central.baseUrl()
                        + " did not answer: connection refused: ranked by words",
                store.search(ws, "staging", 5, SearchMode.SEMANTIC).degraded());
    }
}

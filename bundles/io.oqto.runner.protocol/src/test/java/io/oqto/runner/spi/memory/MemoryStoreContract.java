package io.oqto.runner.spi.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every memory store does, whichever it is (the embedded ledger, the mmry connector): each implementation's test
 * extends this with its store.
 */
public abstract class MemoryStoreContract {

    @TempDir
    protected Path dir;

    protected Path alpha;
    protected Path beta;

    /** The store under test. */
    protected abstract MemoryStore store() throws Exception;

    @BeforeEach
    void workspaces() throws Exception {
        alpha = Files.createDirectories(dir.resolve("ws/alpha"));
        beta = Files.createDirectories(dir.resolve("ws/beta"));
    }

    private static MemoryDraft draft(String content) {
        return new MemoryDraft(content, null, null, null);
    }

    @Test
    void aCreatedMemoryHasItsFieldsAndDefaults() throws Exception {
        MemoryStore s = store();
        Memory m = s.create(alpha, new MemoryDraft("use tabs in Makefiles", "style", List.of("make", "tabs"), 8));
        assertEquals("use tabs in Makefiles", m.content());
        assertEquals("style", m.category());
        assertEquals(List.of("make", "tabs"), m.tags());
        assertEquals(8, m.importance());
        assertEquals(m, s.get(alpha, m.id()).orElseThrow());
        Memory plain = s.create(alpha, draft("plain"));
        assertEquals(MemoryRules.DEFAULT_CATEGORY, plain.category());
        assertEquals(MemoryRules.DEFAULT_IMPORTANCE, plain.importance());
        assertEquals(List.of(), plain.tags());
    }

    @Test
    void anUpdateChangesWhatItNamesAndKeepsTheRest() throws Exception {
        MemoryStore s = store();
        Memory m = s.create(alpha, new MemoryDraft("the build uses gradle", "build", List.of("jvm"), 6));
        Memory changed = s.update(alpha, m.id(), new MemoryDraft("the build uses maven", null, null, 9));
        assertEquals("the build uses maven", changed.content());
        assertEquals("build", changed.category());
        assertEquals(List.of("jvm"), changed.tags());
        assertEquals(9, changed.importance());
        assertEquals(1, s.list(alpha, null, null, 100, 0).total(), "one memory, changed");
        assertEquals(
                MemoryException.Kind.NOT_FOUND,
                assertThrows(MemoryException.class, () -> s.update(alpha, "mem_nope", draft("x")))
                        .kind());
    }

    @Test
    void listsAreNewestFirstFilteredAndPaged() throws Exception {
        MemoryStore s = store();
        for (int i = 0; i < 5; i++) {
            s.create(alpha, new MemoryDraft("note " + i, i % 2 == 0 ? "even" : "odd", List.of("t" + i), null));
        }
        MemoryPage page = s.list(alpha, null, null, 2, 1);
        assertEquals(5, page.total());
        assertEquals(
                List.of("note 3", "note 2"),
                page.memories().stream().map(Memory::content).toList());
        assertEquals(
                List.of("note 4", "note 2", "note 0"),
                s.list(alpha, "even", null, 10, 0).memories().stream()
                        .map(Memory::content)
                        .toList());
        assertEquals(
                List.of("note 3"),
                s.list(alpha, null, "t3", 10, 0).memories().stream()
                        .map(Memory::content)
                        .toList());
        assertEquals(List.of(), s.list(alpha, null, null, 10, 0).problems());
    }

    @Test
    void aDeletedMemoryIsNotFoundAgain() throws Exception {
        MemoryStore s = store();
        Memory m = s.create(alpha, draft("temporary"));
        assertTrue(s.delete(alpha, m.id()));
        assertTrue(s.get(alpha, m.id()).isEmpty());
        assertFalse(s.delete(alpha, m.id()));
        assertEquals(0, s.list(alpha, null, null, 10, 0).total());
    }

    @Test
    void searchRanksTheMatchingMemoryFirst() throws Exception {
        MemoryStore s = store();
        s.create(alpha, draft("the coffee machine is on the second floor"));
        Memory target = s.create(alpha, draft("deploy with the staging script before production"));
        s.create(alpha, draft("lunch is at noon"));
        MemorySearch found = s.search(alpha, "how do I deploy to staging", 10, SearchMode.LEXICAL);
        assertEquals(target.id(), found.hits().get(0).memory().id());
        assertEquals(SearchMode.LEXICAL, found.mode());
        assertEquals(1, found.hits().size(), "only memories with a word of the query");
    }

    @Test
    void workspacesDoNotMix() throws Exception {
        MemoryStore s = store();
        Memory a = s.create(alpha, draft("alpha's secret word is kumquat"));
        s.create(beta, draft("beta knows nothing"));
        assertEquals(1, s.list(beta, null, null, 10, 0).total());
        assertTrue(s.get(beta, a.id()).isEmpty());
        assertEquals(0, s.search(beta, "kumquat", 10, SearchMode.LEXICAL).hits().size());
        assertFalse(s.delete(beta, a.id()));
        assertTrue(s.get(alpha, a.id()).isPresent());
    }

    @Test
    void badInputIsRefusedAndWritesNothing() throws Exception {
        MemoryStore s = store();
        assertEquals(
                "\"content\" must not be empty",
                assertThrows(MemoryException.class, () -> s.create(alpha, draft("  ")))
                        .getMessage());
        assertEquals(
                "\"content\" is 16001 characters; at most 16000",
                assertThrows(MemoryException.class, () -> s.create(alpha, draft("x".repeat(16_001))))
                        .getMessage());
        assertEquals(
                "\"importance\" must be from 1 to 10",
                assertThrows(MemoryException.class, () -> s.create(alpha, new MemoryDraft("x", null, null, 11)))
                        .getMessage());
        assertEquals(
                "tag \"../x\" must be 1-64 of A-Z, a-z, 0-9 and . _ -, starting with a letter or digit",
                assertThrows(
                                MemoryException.class,
                                () -> s.create(alpha, new MemoryDraft("x", null, List.of("../x"), null)))
                        .getMessage());
        assertEquals(0, s.list(alpha, null, null, 10, 0).total());
    }
}

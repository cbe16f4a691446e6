package io.oqto.memory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.spi.memory.Memory;
import io.oqto.runner.spi.memory.MemoryDraft;
import io.oqto.runner.spi.memory.MemoryPage;
import io.oqto.runner.spi.memory.MemoryStore;
import io.oqto.runner.spi.memory.MemoryStoreContract;
import io.oqto.runner.spi.memory.SearchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded ledger: the shared contract, and what is the ledger's own (its file, its aliases, damaged lines). */
class LedgerStoreTest extends MemoryStoreContract {

    @Override
    protected MemoryStore store() {
        return new LedgerStore();
    }

    @Test
    void theLedgerIsAppendOnlyAndItsUsersAlone() throws Exception {
        LedgerStore s = new LedgerStore();
        Memory m = s.create(alpha, new MemoryDraft("first", null, null, null));
        Memory changed = s.update(alpha, m.id(), new MemoryDraft("second", null, null, null));
        s.delete(alpha, changed.id());
        Path file = alpha.resolve(".mmry/mmry.jsonl");
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("\"type\":\"memory.add\""), lines.get(0));
        assertTrue(
                lines.get(1).contains("\"type\":\"memory.supersede\"")
                        && lines.get(1).contains("\"target_memory_id\":\"" + m.id() + "\""),
                lines.get(1));
        assertTrue(lines.get(2).contains("\"type\":\"memory.deprecate\""), lines.get(2));
        assertEquals(m.createdAtMs(), changed.createdAtMs(), "a superseding memory keeps when it was made");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    @SuppressWarnings("StringConcatToTextBlock") // one ledger line per string, as the file has them
    void aliasesAreReadAndADamagedLineIsReportedAndReadPast() throws Exception {
        Path file = Files.createDirectories(alpha.resolve(".mmry")).resolve("mmry.jsonl");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "{\"schema_version\":1,\"id\":\"evt_1\",\"ts\":\"2026-11-01T10:00:00Z\",\"type\":\"memory_add\","
                                + "\"memory_id\":\"mem_1\",\"content\":\"kept from the old spelling\",\"memory_type\":\"SEMANTIC\","
                                + "\"tags\":[\"old\"],\"metadata\":{},\"agent_ctx\":{}}",
                        "{\"schema_version\":1,\"id\":\"evt_2\",\"ts\":\"2026-11-01T10:00:01Z\",\"type\":\"memory.add\",\"memo",
                        "{\"schema_version\":1,\"id\":\"evt_3\",\"ts\":\"2026-11-01T10:00:02Z\",\"type\":\"memory.add\","
                                + "\"memory_id\":\"mem_3\",\"content\":\"after the damage\",\"metadata\":{\"category\":\"x\"}}",
                        "{\"schema_version\":1,\"id\":\"evt_4\",\"ts\":\"2026-11-01T10:00:03Z\",\"type\":\"memory.rename\","
                                + "\"memory_id\":\"mem_3\"}",
                        "{\"schema_version\":1,\"id\":\"evt_5\",\"ts\":\"2026-11-01T10:00:04Z\",\"type\":\"memory_deprecate\","
                                + "\"memory_id\":\"mem_gone\"}",
                        ""));
        MemoryPage page = new LedgerStore().list(alpha, null, null, 10, 0);
        assertEquals(
                List.of("after the damage", "kept from the old spelling"),
                page.memories().stream().map(Memory::content).toList());
        assertEquals("x", page.memories().get(0).category());
        assertEquals("semantic", page.memories().get(1).memoryType());
        assertEquals(
                List.of(
                        "line 2: not one JSON object of " + file,
                        "line 4: unknown event type \"memory.rename\" of " + file),
                page.problems());
    }

    @Test
    void semanticAndHybridWithoutEmbeddingsAreLexicalAndSaySo() throws Exception {
        LedgerStore s = new LedgerStore();
        s.create(alpha, new MemoryDraft("zebras are striped", null, null, null));
        var found = s.search(alpha, "zebras", 5, SearchMode.HYBRID);
        assertEquals(SearchMode.LEXICAL, found.mode());
        assertEquals(
                "no central embeddings service is configured ([memory] embeddings_url): ranked by words",
                found.degraded());
        assertEquals(1, found.hits().size());
    }
}

package io.oqto.memory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.FrameCodec;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.ConfinedWorkspace;
import io.oqto.runner.spi.memory.MemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory requests as a runner serves them, on the ledger: the round trip through the codec and exact refusals. */
class MemoryRequestsTest {

    @TempDir
    Path dir;

    private @Nullable MemoryStore store = new LedgerStore();
    private MemoryRequests requests;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("ws/proj"));
        Files.writeString(dir.resolve("ws/file.txt"), "x");
        requests = new MemoryRequests(() -> store, new ConfinedWorkspace(dir.resolve("ws")));
    }

    private Frame call(String type, Object... kv) throws ProtocolException {
        Frame f = Frame.of("r", type);
        for (int i = 0; i < kv.length; i += 2) {
            f = f.with((String) kv[i], kv[i + 1]);
        }
        byte[] line = FrameCodec.encode(f);
        return requests.handle(FrameCodec.decode(line, line.length - 1));
    }

    private ProtocolException refused(String type, Object... kv) {
        return assertThrows(ProtocolException.class, () -> call(type, kv));
    }

    @Test
    void createListSearchUpdateDeleteInOneWorkspaceDirectory() throws Exception {
        Map<?, ?> made = (Map<?, ?>) call(
                        "create_memory",
                        "workspace",
                        "proj",
                        "content",
                        "the tests need root",
                        "tags",
                        List.of("ci"),
                        "importance",
                        7)
                .fields()
                .get("memory");
        String id = (String) made.get("id");
        assertTrue(id.startsWith("mem_"), id);
        assertEquals(7, made.get("importance"));
        Frame list = call("list_memories", "workspace", "proj", "tag", "ci");
        assertEquals(1, list.fields().get("total"));
        assertEquals("embedded", list.fields().get("store"));
        assertEquals(0, ((List<?>) call("list_memories").fields().get("memories")).size(), "the root is another store");
        Frame hits = call("search_memories", "workspace", "proj", "query", "root", "mode", "hybrid");
        assertEquals("lexical", hits.fields().get("mode"));
        assertEquals("hybrid", hits.fields().get("requested_mode"));
        assertEquals(1, ((List<?>) hits.fields().get("hits")).size());
        Map<?, ?> changed = (Map<?, ?>) call("update_memory", "workspace", "proj", "memory", id, "importance", 2)
                .fields()
                .get("memory");
        assertEquals(2, changed.get("importance"));
        String next = (String) changed.get("id");
        assertEquals(
                "memory_deleted",
                call("delete_memory", "workspace", "proj", "memory", next).type());
        ProtocolException gone = refused("get_memory", "workspace", "proj", "memory", next);
        assertEquals(ErrorCode.MEMORY_NOT_FOUND, gone.code());
        assertEquals("no memory " + next, gone.getMessage());
    }

    @Test
    void badInputIsRefusedExactlyAndWritesNothing() throws Exception {
        assertEquals(
                ErrorCode.PATH_NOT_ALLOWED,
                refused("list_memories", "workspace", "../outside").code());
        assertEquals(
                ErrorCode.PATH_NOT_FOUND,
                refused("list_memories", "workspace", "nope").code());
        assertEquals(
                "file.txt is not a directory",
                refused("list_memories", "workspace", "file.txt").getMessage());
        assertEquals(
                "not a memory id: \"../../etc\"",
                refused("get_memory", "memory", "../../etc").getMessage());
        assertEquals("\"content\" is required", refused("create_memory").getMessage());
        assertEquals(
                "\"content\" must not be empty",
                refused("create_memory", "content", "").getMessage());
        assertEquals(
                "\"importance\" must be from 1 to 10",
                refused("create_memory", "content", "x", "importance", "high").getMessage());
        assertEquals(
                "\"mode\" must be lexical, semantic or hybrid",
                refused("search_memories", "query", "x", "mode", "psychic").getMessage());
        assertEquals(
                "\"query\" is required: the words to look for",
                refused("search_memories", "query", " ").getMessage());
        assertEquals(
                "\"limit\" must be a whole number from 1 to 100",
                refused("list_memories", "limit", 101).getMessage());
        assertEquals(
                "nothing to change: give content, category, tags or importance",
                refused("update_memory", "memory", "mem_x").getMessage());
        assertTrue(!Files.exists(dir.resolve("ws/.mmry")), "nothing written");
        store = null;
        ProtocolException off = refused("list_memories");
        assertEquals(ErrorCode.MEMORY_UNAVAILABLE, off.code());
        assertEquals("memory is off, or its store is not running ([memory] store)", off.getMessage());
    }
}

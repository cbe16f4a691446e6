package io.oqto.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.FrameCodec;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history requests on a store holding two conversations: pages, tail, search filters, rename, delete, bad input. */
class HistoryRequestsTest {

    @TempDir
    Path dir;

    private final HistoryQueueTest.RecordingStore store = new HistoryQueueTest.RecordingStore();
    private HistoryQueueTest.@Nullable RecordingStore bound = store;
    private boolean on = true;
    private HistoryRequests requests;
    private final Set<String> running = new java.util.HashSet<>();

    @BeforeEach
    void setUp() throws Exception {
        HistoryWriter writer =
                new HistoryWriter(() -> bound, () -> on, new HistoryQueue(dir.resolve("queue.jsonl"), 100));
        requests = new HistoryRequests(() -> bound, () -> on, writer);
        List<HistoryMessage> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(message(i, i % 2 == 0 ? "user" : "assistant", "zebra " + i, 1_700_000_000_000L + i * 60_000L));
        }
        store.write(conversation("older", 1_700_000_100_000L), five);
        store.write(
                conversation("newer", 1_700_000_900_000L),
                List.of(message(0, "user", "giraffe zebra", 1_700_000_800_000L)));
    }

    private static HistoryMessage message(int idx, String role, String text, long at) {
        return new HistoryMessage(
                idx,
                role,
                text,
                List.of(Map.of("type", "text", "id", "p" + idx, "text", text)),
                at,
                null,
                null,
                null,
                null);
    }

    private static Conversation conversation(String id, long updated) {
        return new Conversation(id, null, ".", "fake/fake-model", 1_700_000_000_000L, updated, 0, 10, 0.5, "pi-" + id);
    }

    /** A request as it arrives: encoded and read back by the codec (small numbers come back as Integer). */
    private Frame call(String type, Object... kv) throws ProtocolException {
        Frame f = Frame.of("r", type);
        for (int i = 0; i < kv.length; i += 2) {
            f = f.with((String) kv[i], kv[i + 1]);
        }
        byte[] line = FrameCodec.encode(f);
        return requests.handle(FrameCodec.decode(line, line.length - 1), running::contains);
    }

    private ProtocolException refused(String type, Object... kv) {
        return assertThrows(ProtocolException.class, () -> call(type, kv));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Frame f, String key) {
        return (List<Map<String, Object>>) f.fields().get(key);
    }

    @Test
    void conversationsNewestFirstPagedWithWhatTheyHold() throws Exception {
        Frame all = call("list_history");
        assertEquals("history_list", all.type());
        assertEquals(
                List.of("newer", "older"),
                list(all, "conversations").stream().map(c -> c.get("id")).toList());
        Map<String, Object> older = list(all, "conversations").get(1);
        assertEquals(5L, older.get("messages"));
        assertEquals("2023-11-14T22:13:20Z", older.get("created_at"));
        assertEquals("2023-11-14T22:15:00Z", older.get("updated_at"));
        assertEquals(false, older.get("running"));
        assertEquals(Map.of("store", "recording", "waiting", 0), all.fields().get("history"));
        assertEquals(
                List.of("older"),
                list(call("list_history", "limit", 1L, "offset", 1L), "conversations").stream()
                        .map(c -> c.get("id"))
                        .toList());
    }

    @Test
    void messagesInPagesAfterAnIdxOrTheTail() throws Exception {
        Frame first = call("read_history", "conversation", "older", "limit", 2L);
        assertEquals(
                List.of(0, 1),
                list(first, "messages").stream().map(m -> m.get("idx")).toList());
        assertEquals(true, first.fields().get("more"));
        Frame rest = call("read_history", "conversation", "older", "after", 1L, "limit", 10L);
        assertEquals(
                List.of(2, 3, 4),
                list(rest, "messages").stream().map(m -> m.get("idx")).toList());
        assertEquals(false, rest.fields().get("more"));
        Frame tail = call("read_history", "conversation", "older", "tail", true, "limit", 2L);
        assertEquals(
                List.of(3, 4),
                list(tail, "messages").stream().map(m -> m.get("idx")).toList());
        assertEquals(true, tail.fields().get("more"), "earlier messages come before the tail");
        Map<String, Object> m = list(tail, "messages").get(1);
        assertEquals("zebra 4", m.get("content"));
        assertEquals(List.of(Map.of("type", "text", "id", "p4", "text", "zebra 4")), m.get("parts"));
    }

    @Test
    void searchFiltersByRoleAndTime() throws Exception {
        assertEquals(6, list(call("search_history", "query", "zebra"), "hits").size());
        List<Map<String, Object>> users = list(call("search_history", "query", "zebra", "role", "user"), "hits");
        assertEquals(4, users.size());
        List<Map<String, Object>> late = list(
                call("search_history", "query", "zebra", "since", 1_700_000_120_000L, "until", 1_700_000_300_000L),
                "hits");
        assertEquals(List.of(2, 3, 4), late.stream().map(h -> h.get("idx")).toList());
        assertEquals("older", late.get(0).get("conversation"));
        assertEquals("2023-11-14T22:15:20Z", late.get(0).get("created_at"));
    }

    @Test
    void renameAndDeleteButNotWhileItsSessionRuns() throws Exception {
        Frame renamed = call("rename_history", "conversation", "older", "title", "  Zebras  ");
        assertEquals("Zebras", ((Map<?, ?>) renamed.fields().get("conversation")).get("title"));
        running.add("older");
        assertEquals(
                "session older is in this runner: delete the session first, then its history",
                refused("delete_history", "conversation", "older").getMessage());
        running.clear();
        assertEquals(
                "history_deleted",
                call("delete_history", "conversation", "older").type());
        ProtocolException gone = refused("get_history", "conversation", "older");
        assertEquals(ErrorCode.CONVERSATION_NOT_FOUND, gone.code());
        assertEquals("no conversation older in history", gone.getMessage());
        assertEquals(
                "no conversation older in history",
                refused("delete_history", "conversation", "older").getMessage());
        assertEquals(1, store.conversations.size(), "the other is untouched");
    }

    @Test
    void badInputIsRefusedWithItsReasonBeforeTheStoreSeesIt() {
        assertEquals(
                "\"conversation\" must be a conversation id: 1-128 of A-Z, a-z, 0-9 and . _ : -",
                refused("get_history", "conversation", "../etc/passwd").getMessage());
        assertEquals(
                "\"title\" is required and must not be blank",
                refused("rename_history", "conversation", "older", "title", " ").getMessage());
        assertEquals(
                "\"title\" must not contain control characters",
                refused("rename_history", "conversation", "older", "title", "a\u0007b")
                        .getMessage());
        assertEquals(
                "\"title\" is longer than 200 characters",
                refused("rename_history", "conversation", "older", "title", "x".repeat(201))
                        .getMessage());
        assertEquals(
                "\"query\" is required: the words to look for",
                refused("search_history", "query", "").getMessage());
        assertEquals(
                "\"role\" must be one of [user, assistant, tool, system, other]",
                refused("search_history", "query", "z", "role", "root").getMessage());
        assertEquals(
                "\"limit\" must be a whole number from 1 to 1000",
                refused("list_history", "limit", 0L).getMessage());
        assertEquals(
                "\"after\" and \"tail\" do not go together: a page after an idx, or the last messages",
                refused("read_history", "conversation", "older", "after", 1L, "tail", true)
                        .getMessage());
        assertEquals(
                "\"since\" must be a time in milliseconds since 1970",
                refused("search_history", "query", "z", "since", "yesterday").getMessage());
        assertEquals(
                ErrorCode.INVALID_REQUEST,
                refused("list_history", "offset", -1L).code());
        assertEquals(2, store.conversations.size(), "nothing changed");
        assertEquals("older", store.conversations.get("older").id());
    }

    @Test
    void offNotInstalledOrDownIsHistoryUnavailableWithWhy() {
        store.down = true;
        ProtocolException down = refused("list_history");
        assertEquals(ErrorCode.HISTORY_UNAVAILABLE, down.code());
        assertEquals("hstry at 127.0.0.1:1: UNAVAILABLE", down.getMessage());
        bound = null;
        assertEquals(
                "no history store is running yet (its feature is being installed, or its bundle updated)",
                refused("list_history").getMessage());
        on = false;
        assertEquals(
                "history is off ([history] store = \"off\")",
                refused("list_history").getMessage());
        assertEquals(Map.of("store", "off", "waiting", 0), requests.state());
    }
}

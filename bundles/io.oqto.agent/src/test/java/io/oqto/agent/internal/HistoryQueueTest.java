package io.oqto.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.history.HistoryStore;
import io.oqto.runner.spi.history.SearchHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay queue: order, restarts, a store that is down or refuses, a replay cut short, its bound. */
class HistoryQueueTest {

    @TempDir
    Path state;

    /**
     * An in-memory store keyed like hstry (conversation, idx), with its list, lookup, tail, word search, rename and
     * delete; it can be down or refuse one conversation.
     */
    static final class RecordingStore implements HistoryStore {
        final Map<String, HistoryMessage> messages = new TreeMap<>();
        final Map<String, Conversation> conversations = new TreeMap<>();
        final List<String> writes = new ArrayList<>();
        volatile boolean down;

        @Nullable
        String refuse;

        @Override
        public String kind() {
            return "recording";
        }

        @Override
        public synchronized void write(Conversation c, List<HistoryMessage> ms) throws HistoryException {
            if (down) {
                throw new HistoryException("hstry at 127.0.0.1:1: UNAVAILABLE", true);
            }
            if (c.id().equals(refuse)) {
                throw new HistoryException("hstry at 127.0.0.1:1: INVALID_ARGUMENT bad parts", false);
            }
            writes.add(c.id() + ms.stream().map(m -> "#" + m.idx()).reduce("", String::concat));
            for (HistoryMessage m : ms) {
                messages.put(c.id() + "/" + m.idx(), m);
            }
            Conversation old = conversations.get(c.id());
            conversations.put(
                    c.id(),
                    new Conversation(
                            c.id(),
                            old != null && c.title() == null ? old.title() : c.title(),
                            c.workspace(),
                            c.model(),
                            old == null ? c.createdAtMs() : old.createdAtMs(),
                            c.updatedAtMs(),
                            of(c.id()).size(),
                            c.tokens(),
                            c.costUsd(),
                            c.agentSession()));
        }

        private List<HistoryMessage> of(String id) {
            return messages.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(id + "/"))
                    .map(Map.Entry::getValue)
                    .sorted(java.util.Comparator.comparingInt(HistoryMessage::idx))
                    .toList();
        }

        private void up() throws HistoryException {
            if (down) {
                throw new HistoryException("hstry at 127.0.0.1:1: UNAVAILABLE", true);
            }
        }

        @Override
        public synchronized List<Conversation> list(int limit, int offset) throws HistoryException {
            up();
            return conversations.values().stream()
                    .sorted(java.util.Comparator.comparingLong(Conversation::updatedAtMs)
                            .reversed())
                    .skip(offset)
                    .limit(limit)
                    .toList();
        }

        @Override
        public synchronized Optional<Conversation> find(String id) throws HistoryException {
            up();
            return Optional.ofNullable(conversations.get(id));
        }

        @Override
        public synchronized List<HistoryMessage> messages(String id, int limit, boolean tail) throws HistoryException {
            up();
            List<HistoryMessage> all = of(id);
            return tail && limit > 0 && all.size() > limit ? all.subList(all.size() - limit, all.size()) : all;
        }

        @Override
        public synchronized List<SearchHit> search(String q, @Nullable String w, @Nullable String r, int limit)
                throws HistoryException {
            up();
            List<SearchHit> hits = new ArrayList<>();
            for (Map.Entry<String, HistoryMessage> e : messages.entrySet()) {
                HistoryMessage m = e.getValue();
                String conversation = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
                if (m.content().contains(q) && (r == null || r.equals(m.role())) && hits.size() < limit) {
                    hits.add(new SearchHit(conversation, m.idx(), m.role(), m.content(), m.createdAtMs()));
                }
            }
            return hits;
        }

        @Override
        public synchronized void rename(String id, String title) throws HistoryException {
            up();
            Conversation c = conversations.get(id);
            if (c != null) {
                conversations.put(
                        id,
                        new Conversation(
                                id,
                                title,
                                c.workspace(),
                                c.model(),
                                c.createdAtMs(),
                                c.updatedAtMs(),
                                c.messageCount(),
                                c.tokens(),
                                c.costUsd(),
                                c.agentSession()));
            }
        }

        @Override
        public synchronized boolean delete(String id) throws HistoryException {
            up();
            messages.keySet().removeIf(k -> k.startsWith(id + "/"));
            return conversations.remove(id) != null;
        }
    }

    private static Conversation conversation(String id) {
        return new Conversation(id, null, "/w", null, 1000, 2000, 0, 0, 0, "pi-" + id);
    }

    private static List<HistoryMessage> turn(int from) {
        return List.of(
                PiHistory.of("c", from, Map.of("role", "user", "content", "q" + from, "timestamp", 1000L)),
                PiHistory.of(
                        "c",
                        from + 1,
                        Map.of(
                                "role",
                                "assistant",
                                "content",
                                List.of(Map.of("type", "text", "text", "a")),
                                "timestamp",
                                1001L)));
    }

    @Test
    void writesOutliveARestartAndAreReplayedInOrder() throws IOException {
        Path file = state.resolve("history-queue.jsonl");
        HistoryQueue queue = new HistoryQueue(file, 100);
        queue.add(conversation("s1"), turn(0));
        queue.add(conversation("s1"), turn(2));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        RecordingStore store = new RecordingStore();
        HistoryQueue afterRestart = new HistoryQueue(file, 100);
        assertEquals(2, afterRestart.size());
        assertEquals(new HistoryQueue.Drained(2, 0, List.of()), afterRestart.drain(store));
        assertEquals(List.of("s1#0#1", "s1#2#3"), store.writes);
        assertEquals("q0", store.messages.get("s1/0").content());
        assertEquals(0, afterRestart.size());
    }

    @Test
    void aStoreThatIsDownKeepsEverythingWaiting() throws IOException {
        HistoryQueue queue = new HistoryQueue(state.resolve("q.jsonl"), 100);
        queue.add(conversation("s1"), turn(0));
        queue.add(conversation("s2"), turn(0));
        RecordingStore store = new RecordingStore();
        store.down = true;
        assertEquals(new HistoryQueue.Drained(0, 2, List.of()), queue.drain(store));
        store.down = false;
        assertEquals(new HistoryQueue.Drained(2, 0, List.of()), queue.drain(store));
    }

    @Test
    void aReplayCutShortSendsAgainAndLosesNothingNorDoublesAMessage() throws IOException {
        Path file = state.resolve("q.jsonl");
        HistoryQueue queue = new HistoryQueue(file, 100);
        queue.add(conversation("s1"), turn(0));
        queue.add(conversation("s1"), turn(2));
        Path before = Files.copy(file, state.resolve("before"));
        RecordingStore store = new RecordingStore();
        queue.drain(store);
        // The runner died after sending, before forgetting: the queue is as it was.
        Files.copy(before, file, StandardCopyOption.REPLACE_EXISTING);
        new HistoryQueue(file, 100).drain(store);
        assertEquals(4, store.writes.size(), "sent twice");
        assertEquals(4, store.messages.size(), "but each message once, by its idx");
    }

    @Test
    void aRefusedWriteIsSetAsideAndDoesNotBlockTheRest() throws IOException {
        Path file = state.resolve("q.jsonl");
        HistoryQueue queue = new HistoryQueue(file, 100);
        queue.add(conversation("bad"), turn(0));
        queue.add(conversation("good"), turn(0));
        RecordingStore store = new RecordingStore();
        store.refuse = "bad";
        HistoryQueue.Drained d = queue.drain(store);
        assertEquals(List.of(1, 0), List.of(d.sent(), d.waiting()));
        assertEquals(List.of("hstry at 127.0.0.1:1: INVALID_ARGUMENT bad parts"), d.refused());
        assertTrue(Files.readString(state.resolve("q.jsonl.refused")).contains("\"id\":\"bad\""));
        assertEquals(List.of("good#0#1"), store.writes);
    }

    @Test
    void theQueueIsBounded() throws IOException {
        Path file = state.resolve("q.jsonl");
        HistoryQueue queue = new HistoryQueue(file, 2);
        queue.add(conversation("s1"), turn(0));
        queue.add(conversation("s1"), turn(2));
        IOException e = assertThrows(IOException.class, () -> queue.add(conversation("s1"), turn(4)));
        assertEquals("the history queue " + file + " holds 2 writes already", e.getMessage());
        assertEquals(2, queue.size());
    }
}

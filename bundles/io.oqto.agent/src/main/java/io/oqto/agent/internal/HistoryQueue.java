package io.oqto.agent.internal;

import io.oqto.runner.spi.PrivateFiles;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.history.HistoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * History writes that could not be made yet, kept in order in a file of the user's state directory (one JSON line
 * each, forced to disk before {@link #add} returns) and replayed when the store answers again. A replay that is
 * cut short (a crash between sending and forgetting) sends some writes twice; that is harmless, because the store
 * treats a message at an idx it holds with the same content as no change. Bounded: past {@code maxEntries}
 * {@link #add} refuses, and the session says its history is not being kept.
 */
final class HistoryQueue {

    /** What a replay did: sent, still waiting, and the refusals set aside (with the store's words). */
    record Drained(int sent, int waiting, List<String> refused) {}

    private final Path file;
    private final Path refusedFile;
    private final int maxEntries;

    HistoryQueue(Path file, int maxEntries) {
        this.file = file;
        this.refusedFile = file.resolveSibling(file.getFileName() + ".refused");
        this.maxEntries = maxEntries;
    }

    /** Queues one write; IOException when it cannot be kept (the disk, or the queue is full). */
    synchronized void add(Conversation conversation, List<HistoryMessage> messages) throws IOException {
        if (size() >= maxEntries) {
            throw new IOException("the history queue " + file + " holds " + maxEntries + " writes already");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        PrivateFiles.append(file, Json.write(encode(conversation, messages)) + "\n");
    }

    /** How many writes wait. */
    synchronized int size() throws IOException {
        return Files.exists(file)
                ? (int) Files.readAllLines(file).stream()
                        .filter(l -> !l.isBlank())
                        .count()
                : 0;
    }

    /**
     * The idx after the last message waiting for conversation {@code id}, 0 when none waits: a resumed session
     * continues after these, not after what the store holds so far.
     */
    synchronized int nextIdx(String id) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        int next = 0;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> entry = Json.object(line);
            if (id.equals(conversationOf(entry).id())) {
                for (HistoryMessage m : messagesOf(entry)) {
                    next = Math.max(next, m.idx() + 1);
                }
            }
        }
        return next;
    }

    /**
     * Sends the waiting writes in order until the store cannot be reached; a write it refuses is set aside in
     * {@code <file>.refused} so that it cannot block the others, and named in the answer.
     */
    synchronized Drained drain(HistoryStore store) throws IOException {
        if (!Files.exists(file)) {
            return new Drained(0, 0, List.of());
        }
        List<String> lines =
                Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        int sent = 0;
        List<String> refused = new ArrayList<>();
        int i = 0;
        for (; i < lines.size(); i++) {
            Map<String, Object> entry = Json.object(lines.get(i));
            try {
                store.write(conversationOf(entry), messagesOf(entry));
                sent++;
            } catch (HistoryException e) {
                if (e.retryable()) {
                    break;
                }
                refused.add(e.getMessage());
                Files.writeString(
                        refusedFile, lines.get(i) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
        PrivateFiles.write(
                file,
                String.join(
                        "",
                        lines.subList(i, lines.size()).stream()
                                .map(l -> l + "\n")
                                .toList()));
        return new Drained(sent, lines.size() - i, refused);
    }

    private static Map<String, Object> encode(Conversation c, List<HistoryMessage> messages) {
        Map<String, Object> conv = new LinkedHashMap<>();
        conv.put("id", c.id());
        conv.put("title", c.title());
        conv.put("workspace", c.workspace());
        conv.put("model", c.model());
        conv.put("created_at_ms", c.createdAtMs());
        conv.put("updated_at_ms", c.updatedAtMs());
        conv.put("message_count", c.messageCount());
        conv.put("tokens", c.tokens());
        conv.put("cost_usd", c.costUsd());
        conv.put("agent_session", c.agentSession());
        List<Map<String, Object>> ms = new ArrayList<>();
        for (HistoryMessage m : messages) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("idx", m.idx());
            e.put("role", m.role());
            e.put("content", m.content());
            e.put("parts", m.parts());
            e.put("created_at_ms", m.createdAtMs());
            e.put("model", m.model());
            e.put("provider", m.provider());
            e.put("tokens", m.tokens());
            e.put("cost_usd", m.costUsd());
            ms.add(e);
        }
        return Map.of("conversation", conv, "messages", ms);
    }

    private static Conversation conversationOf(Map<String, Object> entry) {
        Map<?, ?> c = entry.get("conversation") instanceof Map<?, ?> m ? m : Map.of();
        return new Conversation(
                String.valueOf(c.get("id")),
                text(c.get("title")),
                text(c.get("workspace")),
                text(c.get("model")),
                Json.whole(c.get("created_at_ms")),
                Json.whole(c.get("updated_at_ms")),
                Json.whole(c.get("message_count")),
                Json.whole(c.get("tokens")),
                c.get("cost_usd") instanceof Number n ? n.doubleValue() : 0,
                text(c.get("agent_session")));
    }

    @SuppressWarnings("unchecked")
    private static List<HistoryMessage> messagesOf(Map<String, Object> entry) {
        List<HistoryMessage> out = new ArrayList<>();
        List<?> list = entry.get("messages") instanceof List<?> l ? l : List.of();
        for (Object o : list) {
            Map<?, ?> m = o instanceof Map<?, ?> mm ? mm : Map.of();
            out.add(new HistoryMessage(
                    (int) Json.whole(m.get("idx")),
                    String.valueOf(m.get("role")),
                    String.valueOf(m.get("content")),
                    m.get("parts") instanceof List<?> parts ? (List<Map<String, Object>>) parts : List.of(),
                    Json.whole(m.get("created_at_ms")),
                    text(m.get("model")),
                    text(m.get("provider")),
                    m.get("tokens") instanceof Number n ? n.longValue() : null,
                    m.get("cost_usd") instanceof Number n ? n.doubleValue() : null));
        }
        return out;
    }

    private static @Nullable String text(@Nullable Object v) {
        return v instanceof String s ? s : null;
    }
}

package io.oqto.agent.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.history.HistoryStore;
import io.oqto.runner.spi.history.SearchHit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The runner's history requests (protocol 1.5): {@code list_history}, {@code get_history},
 * {@code read_history} (a page after an idx, or the tail), {@code rename_history}, {@code delete_history} and
 * {@code search_history} (with workspace, role and time filters), on whichever store is installed. Input is checked
 * here, before any store sees it, so both stores refuse the same things with the same words.
 */
final class HistoryRequests {

    static final Set<String> TYPES =
            Set.of("list_history", "get_history", "read_history", "rename_history", "delete_history", "search_history");
    static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final int MAX_LIMIT = 1000;
    static final int MAX_TITLE = 200;
    static final int MAX_QUERY = 500;
    static final List<String> ROLES = List.of("user", "assistant", "tool", "system", "other");

    private final Supplier<@Nullable HistoryStore> store;
    private final BooleanSupplier on;
    private final HistoryWriter writer;

    HistoryRequests(Supplier<@Nullable HistoryStore> store, BooleanSupplier on, HistoryWriter writer) {
        this.store = store;
        this.on = on;
        this.writer = writer;
    }

    /** Serves one of {@link #TYPES}; {@code running} says whether a session with that id runs in this runner. */
    Frame handle(Frame r, Predicate<String> running) throws ProtocolException {
        return switch (r.type()) {
            case "list_history" -> {
                int limit = number(r, "limit", 50, 1, MAX_LIMIT);
                int offset = number(r, "offset", 0, 0, Integer.MAX_VALUE);
                List<Map<String, Object>> out = new ArrayList<>();
                for (Conversation c : call(s -> s.list(limit, offset))) {
                    out.add(describe(c, running.test(c.id())));
                }
                yield Frame.of(r.id(), "history_list")
                        .with("conversations", out)
                        .with("history", state());
            }
            case "get_history" -> {
                Conversation c = find(conversation(r));
                yield Frame.of(r.id(), "history_conversation").with("conversation", describe(c, running.test(c.id())));
            }
            case "read_history" -> messages(r);
            case "rename_history" -> {
                String id = conversation(r);
                String title = title(r);
                find(id);
                call(s -> {
                    s.rename(id, title);
                    return Boolean.TRUE;
                });
                Conversation c = find(id);
                yield Frame.of(r.id(), "history_conversation").with("conversation", describe(c, running.test(id)));
            }
            case "delete_history" -> {
                String id = conversation(r);
                if (running.test(id)) {
                    throw new ProtocolException(
                            ErrorCode.INVALID_STATE,
                            "session " + id + " is in this runner: delete the session first, then its history",
                            null);
                }
                if (!call(s -> s.delete(id))) {
                    throw notFound(id);
                }
                yield Frame.of(r.id(), "history_deleted").with("conversation", id);
            }
            case "search_history" -> search(r);
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "not a history request: " + r.type(), null);
        };
    }

    /** Whether history is kept, by which store, and how many writes wait for it: the runner's history status. */
    Map<String, Object> state() {
        HistoryStore s = store.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("store", !on.getAsBoolean() ? "off" : s == null ? "not_installed" : s.kind());
        m.put("waiting", writer.waiting());
        return m;
    }

    /** The stored conversation {@code id}, or {@code conversation_not_found}. */
    Conversation find(String id) throws ProtocolException {
        return call(s -> s.find(id)).orElseThrow(() -> notFound(id));
    }

    /** The latest conversations (for the session list), or an empty list when history cannot be read now. */
    List<Conversation> latest(int limit) {
        HistoryStore s = store.get();
        if (s == null || !on.getAsBoolean()) {
            return List.of();
        }
        try {
            return s.list(limit, 0);
        } catch (HistoryException e) {
            return List.of();
        }
    }

    private Frame messages(Frame r) throws ProtocolException {
        String id = conversation(r);
        int limit = number(r, "limit", 100, 1, MAX_LIMIT);
        boolean tail = r.fields().get("tail") instanceof Boolean b && b;
        Object after = r.fields().get("after");
        if (after != null && tail) {
            throw invalid("\"after\" and \"tail\" do not go together: a page after an idx, or the last messages");
        }
        int afterIdx = after == null ? -1 : number(r, "after", -1, -1, Integer.MAX_VALUE);
        find(id);
        List<HistoryMessage> page;
        boolean more;
        if (tail) {
            // One more than asked: whether anything comes before the page.
            List<HistoryMessage> last = call(s -> s.messages(id, limit + 1, true));
            more = last.size() > limit;
            page = more ? last.subList(1, last.size()) : last;
        } else {
            List<HistoryMessage> rest = call(s -> s.messages(id, 0, false)).stream()
                    .filter(m -> m.idx() > afterIdx)
                    .toList();
            more = rest.size() > limit;
            page = more ? rest.subList(0, limit) : rest;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (HistoryMessage m : page) {
            out.add(describe(m));
        }
        return Frame.of(r.id(), "history_messages")
                .with("conversation", id)
                .with("messages", out)
                .with("more", more);
    }

    private Frame search(Frame r) throws ProtocolException {
        if (!(r.fields().get("query") instanceof String query) || query.isBlank()) {
            throw invalid("\"query\" is required: the words to look for");
        }
        if (query.length() > MAX_QUERY) {
            throw invalid("\"query\" is longer than " + MAX_QUERY + " characters");
        }
        String workspace = text(r, "workspace");
        String role = text(r, "role");
        if (role != null && !ROLES.contains(role)) {
            throw invalid("\"role\" must be one of " + ROLES);
        }
        long since = longNumber(r, "since");
        long until = longNumber(r, "until");
        int limit = number(r, "limit", 20, 1, MAX_LIMIT);
        boolean timed = since > 0 || until > 0;
        // A time range is applied to the store's newest hits: ask for more of them so the page is still full.
        List<SearchHit> hits = call(s -> s.search(query, workspace, role, timed ? MAX_LIMIT : limit));
        List<Map<String, Object>> out = new ArrayList<>();
        for (SearchHit h : hits) {
            if ((since > 0 && h.createdAtMs() < since) || (until > 0 && h.createdAtMs() >= until)) {
                continue;
            }
            if (out.size() == limit) {
                break;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("conversation", h.conversation());
            m.put("idx", h.idx());
            m.put("role", h.role());
            m.put("snippet", h.snippet());
            m.put("created_at", iso(h.createdAtMs()));
            out.add(m);
        }
        return Frame.of(r.id(), "history_hits").with("query", query).with("hits", out);
    }

    static Map<String, Object> describe(Conversation c, boolean running) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("title", c.title());
        m.put("workspace", c.workspace());
        m.put("model", c.model());
        m.put("created_at", iso(c.createdAtMs()));
        m.put("updated_at", iso(c.updatedAtMs()));
        m.put("messages", c.messageCount());
        m.put("tokens", c.tokens());
        m.put("cost_usd", c.costUsd());
        m.put("running", running);
        return m;
    }

    private static Map<String, Object> describe(HistoryMessage h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idx", h.idx());
        m.put("role", h.role());
        m.put("content", h.content());
        m.put("parts", h.parts());
        m.put("created_at", iso(h.createdAtMs()));
        m.put("model", h.model());
        m.put("tokens", h.tokens());
        m.put("cost_usd", h.costUsd());
        return m;
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T run(HistoryStore s) throws HistoryException;
    }

    /** One store call: no store, or one that cannot answer now, is {@code history_unavailable}. */
    private <T> T call(StoreCall<T> c) throws ProtocolException {
        HistoryStore s = store.get();
        if (!on.getAsBoolean()) {
            throw new ProtocolException(
                    ErrorCode.HISTORY_UNAVAILABLE, "history is off ([history] store = \"off\")", null);
        }
        if (s == null) {
            throw new ProtocolException(
                    ErrorCode.HISTORY_UNAVAILABLE,
                    "no history store is running yet (its feature is being installed, or its bundle updated)",
                    null);
        }
        try {
            return c.run(s);
        } catch (HistoryException e) {
            throw new ProtocolException(
                    e.retryable() ? ErrorCode.HISTORY_UNAVAILABLE : ErrorCode.IO_ERROR, e.getMessage(), null);
        }
    }

    private static String conversation(Frame r) throws ProtocolException {
        if (!(r.fields().get("conversation") instanceof String id)
                || !CONVERSATION_ID.matcher(id).matches()) {
            throw invalid("\"conversation\" must be a conversation id: 1-128 of A-Z, a-z, 0-9 and . _ : -");
        }
        return id;
    }

    private static String title(Frame r) throws ProtocolException {
        if (!(r.fields().get("title") instanceof String title) || title.isBlank()) {
            throw invalid("\"title\" is required and must not be blank");
        }
        if (title.length() > MAX_TITLE) {
            throw invalid("\"title\" is longer than " + MAX_TITLE + " characters");
        }
        if (title.chars().anyMatch(Character::isISOControl)) {
            throw invalid("\"title\" must not contain control characters");
        }
        return title.strip();
    }

    private static @Nullable String text(Frame r, String key) throws ProtocolException {
        Object v = r.fields().get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isEmpty() || s.indexOf('\0') >= 0) {
            throw invalid("\"" + key + "\" must be a non-empty string");
        }
        return s;
    }

    private static int number(Frame r, String key, int dflt, int min, int max) throws ProtocolException {
        return (int) r.whole(key, dflt, min, max);
    }

    private static long longNumber(Frame r, String key) throws ProtocolException {
        Object v = r.fields().get(key);
        if (v == null) {
            return 0;
        }
        Long n = whole(v);
        if (n == null || n < 0) {
            throw invalid("\"" + key + "\" must be a time in milliseconds since 1970");
        }
        return n;
    }

    /** A JSON whole number as the codec reads it (Integer or Long by its size); null for anything else. */
    private static @Nullable Long whole(@Nullable Object v) {
        return v instanceof Integer i ? Long.valueOf(i) : v instanceof Long l ? l : null;
    }

    private static ProtocolException notFound(String id) {
        return new ProtocolException(ErrorCode.CONVERSATION_NOT_FOUND, "no conversation " + id + " in history", null);
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message, null);
    }
}

package io.oqto.testing.hstry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.oqto.hstry.proto.AppendMessagesRequest;
import io.oqto.hstry.proto.Conversation;
import io.oqto.hstry.proto.ConversationSummary;
import io.oqto.hstry.proto.Message;
import io.oqto.hstry.proto.SearchHit;
import io.oqto.hstry.proto.SearchRequest;
import io.oqto.hstry.proto.UpdateConversationRequest;
import io.oqto.hstry.proto.WriteConversationRequest;
import io.oqto.hstry.proto.WriteConversationResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * hstry's storage rules in memory (services-spec §1.4): conversations by {@code (source_id, external_id)} with
 * upsert and {@code version}, messages by idx with upsert (same content: no-op; changed: overwritten; new: counted),
 * the multi-column lookup, lists by update time with offset ignored, and timestamps kept in whole seconds.
 */
final class HstryStore {

    private static final List<String> ADJECTIVES = List.of("cold", "warm", "quiet", "bright", "brave", "calm");
    private static final List<String> NOUNS = List.of("lamp", "river", "stone", "cloud", "field", "harbor");
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Stored> conversations = new LinkedHashMap<>();
    private final Map<String, List<String>> tags = new TreeMap<>();
    private int readableIds;

    /** A conversation with its server-owned id and messages. */
    private static final class Stored {
        final String id = UUID.randomUUID().toString();
        Conversation.Builder conversation;
        final TreeMap<Integer, Message> messages = new TreeMap<>();

        Stored(Conversation.Builder conversation) {
            this.conversation = conversation;
        }

        Conversation snapshot() {
            return conversation.setMessageCount(messages.size()).build();
        }
    }

    private static String key(String source, String external) {
        return source + "\u0000" + external;
    }

    /** WriteConversation: upsert the conversation, then every message. */
    synchronized WriteConversationResponse write(Conversation c, List<Message> messages) {
        Stored s = conversations.get(key(c.getSourceId(), c.getExternalId()));
        if (s == null) {
            Conversation.Builder b = c.toBuilder().setVersion(1).setCreatedAtMs(seconds(c.getCreatedAtMs()));
            if (c.hasUpdatedAtMs()) {
                b.setUpdatedAtMs(seconds(c.getUpdatedAtMs()));
            }
            if (!c.hasReadableId() || c.getReadableId().isEmpty()) {
                b.setReadableId(nextReadableId());
            }
            if (c.getMetadataJson().isEmpty()) {
                b.setMetadataJson("{}");
            }
            s = new Stored(b);
            conversations.put(key(c.getSourceId(), c.getExternalId()), s);
        } else {
            Conversation.Builder b = s.conversation;
            // Overwritten: title, updated_at, model, provider, tokens, cost, metadata.
            copyOrClear(c.hasTitle(), () -> b.setTitle(c.getTitle()), b::clearTitle);
            copyOrClear(c.hasUpdatedAtMs(), () -> b.setUpdatedAtMs(seconds(c.getUpdatedAtMs())), b::clearUpdatedAtMs);
            copyOrClear(c.hasModel(), () -> b.setModel(c.getModel()), b::clearModel);
            copyOrClear(c.hasProvider(), () -> b.setProvider(c.getProvider()), b::clearProvider);
            copyOrClear(c.hasTokensIn(), () -> b.setTokensIn(c.getTokensIn()), b::clearTokensIn);
            copyOrClear(c.hasTokensOut(), () -> b.setTokensOut(c.getTokensOut()), b::clearTokensOut);
            copyOrClear(c.hasCostUsd(), () -> b.setCostUsd(c.getCostUsd()), b::clearCostUsd);
            b.setMetadataJson(c.getMetadataJson().isEmpty() ? "{}" : c.getMetadataJson());
            // Kept unless the new value is set and not empty.
            if (c.hasReadableId() && !c.getReadableId().isEmpty()) {
                b.setReadableId(c.getReadableId());
            }
            if (c.hasPlatformId() && !c.getPlatformId().isEmpty()) {
                b.setPlatformId(c.getPlatformId());
            }
            if (c.hasWorkspace() && !c.getWorkspace().isEmpty()) {
                b.setWorkspace(c.getWorkspace());
            }
            if (c.hasHarness() && !c.getHarness().isEmpty()) {
                b.setHarness(c.getHarness());
            }
            if (c.hasParentConversationId() && !c.getParentConversationId().isEmpty()) {
                b.setParentConversationId(c.getParentConversationId());
            }
            if (c.hasParentMessageIdx()) {
                b.setParentMessageIdx(c.getParentMessageIdx());
            }
            if (c.hasForkType() && !c.getForkType().isEmpty()) {
                b.setForkType(c.getForkType());
            }
            b.setVersion(b.getVersion() + 1);
        }
        int written = upsert(s, messages);
        return answer(s, written);
    }

    /** AppendMessages: NOT_FOUND for an unknown conversation. */
    synchronized WriteConversationResponse append(AppendMessagesRequest r) {
        Stored s = require(r.getSourceId(), r.getExternalId());
        int written = upsert(s, r.getMessagesList());
        if (r.hasUpdatedAtMs()) {
            s.conversation.setUpdatedAtMs(seconds(r.getUpdatedAtMs()));
        }
        return answer(s, written);
    }

    synchronized String update(UpdateConversationRequest r) {
        requireIdentity(r.getSourceId(), r.getExternalId());
        Stored s = require(r.getSourceId(), r.getExternalId());
        Conversation.Builder b = s.conversation;
        if (r.hasTitle()) {
            b.setTitle(r.getTitle());
        }
        if (r.hasWorkspace()) {
            b.setWorkspace(r.getWorkspace());
        }
        if (r.hasModel()) {
            b.setModel(r.getModel());
        }
        if (r.hasProvider()) {
            b.setProvider(r.getProvider());
        }
        if (r.hasMetadataJson()) {
            b.setMetadataJson(r.getMetadataJson());
        }
        if (r.hasReadableId()) {
            b.setReadableId(r.getReadableId());
        }
        if (r.hasHarness()) {
            b.setHarness(r.getHarness());
        }
        if (r.hasPlatformId()) {
            b.setPlatformId(r.getPlatformId());
        }
        if (r.hasParentConversationId()) {
            b.setParentConversationId(r.getParentConversationId());
        }
        if (r.hasParentMessageIdx()) {
            b.setParentMessageIdx(r.getParentMessageIdx());
        }
        if (r.hasForkType()) {
            b.setForkType(r.getForkType());
        }
        return s.id;
    }

    synchronized String delete(String source, String external) {
        requireIdentity(source, external);
        Stored s = require(source, external);
        conversations.remove(key(source, external));
        tags.remove(s.id);
        return s.id;
    }

    synchronized boolean tag(String conversationId, String tag, boolean add) {
        uuid(conversationId, "conversation_id");
        List<String> list = tags.computeIfAbsent(conversationId, k -> new ArrayList<>());
        return add ? !list.contains(tag) && list.add(tag) : list.remove(tag);
    }

    /** The conversation a read lookup names (§1.4: any of the id columns, narrowed by source and workspace). */
    synchronized Optional<Conversation> find(
            String source, String external, String readable, String conversationId, String workspace) {
        return lookup(source, external, readable, conversationId, workspace).map(Stored::snapshot);
    }

    /** Its id and messages by idx, the last {@code limit} when positive; empty id when not found. */
    synchronized Map.Entry<String, List<Message>> messages(
            String source, String external, String readable, String conversationId, String workspace, long limit) {
        Optional<Stored> s = lookup(source, external, readable, conversationId, workspace);
        if (s.isEmpty()) {
            return Map.entry("", List.of());
        }
        List<Message> all = new ArrayList<>(s.get().messages.values());
        List<Message> tail = limit > 0 && limit < all.size() ? all.subList(all.size() - (int) limit, all.size()) : all;
        return Map.entry(s.get().id, List.copyOf(tail));
    }

    /** Newest first by update (else creation) time; {@code offset} is ignored, as hstry does. */
    synchronized List<ConversationSummary> list(String source, String workspace, long limit) {
        List<ConversationSummary> out = conversations.values().stream()
                .filter(s -> source.isEmpty() || s.conversation.getSourceId().equals(source))
                .filter(s ->
                        workspace.isEmpty() || s.conversation.getWorkspace().equals(workspace))
                .sorted(Comparator.comparingLong(HstryStore::touched).reversed())
                .map(s -> ConversationSummary.newBuilder()
                        .setConversation(s.snapshot())
                        .setMessageCount(s.messages.size())
                        .setFirstUserMessage(s.messages.values().stream()
                                .filter(m -> m.getRole().equals("user"))
                                .map(Message::getContent)
                                .findFirst()
                                .orElse(""))
                        .build())
                .collect(Collectors.toList());
        return limit > 0 && limit < out.size() ? List.copyOf(out.subList(0, (int) limit)) : out;
    }

    /** A case-insensitive substring match over message content, with the request's filters. */
    synchronized List<SearchHit> search(SearchRequest r) {
        String q = r.getQuery().toLowerCase(Locale.ROOT);
        List<SearchHit> hits = new ArrayList<>();
        for (Stored s : conversations.values()) {
            Conversation c = s.conversation.build();
            if ((!r.getSource().isEmpty() && !c.getSourceId().equals(r.getSource()))
                    || (!r.getWorkspace().isEmpty() && !c.getWorkspace().equals(r.getWorkspace()))
                    || (!r.getHarness().isEmpty() && !c.getHarness().equals(r.getHarness()))) {
                continue;
            }
            for (Message m : s.messages.values()) {
                String content = m.getContent();
                int at = content.toLowerCase(Locale.ROOT).indexOf(q);
                long created = m.hasCreatedAtMs() ? m.getCreatedAtMs() : c.getCreatedAtMs();
                if (q.isEmpty()
                        || at < 0
                        || (!r.getRole().isEmpty() && !m.getRole().equals(r.getRole()))
                        || (!r.getModel().isEmpty() && !m.getModel().equals(r.getModel()))
                        || (r.getAfterMs() > 0 && created < r.getAfterMs())
                        || (r.getBeforeMs() > 0 && created > r.getBeforeMs())) {
                    continue;
                }
                hits.add(SearchHit.newBuilder()
                        .setMessageId(m.getId())
                        .setConversationId(s.id)
                        .setMessageIdx(m.getIdx())
                        .setRole(m.getRole())
                        .setContent(content)
                        .setSnippet(content.substring(
                                Math.max(0, at - 40), Math.min(content.length(), at + q.length() + 40)))
                        .setCreatedAtMs(created)
                        .setConvCreatedAtMs(c.getCreatedAtMs())
                        .setConvUpdatedAtMs(touched(s))
                        .setScore(1.0f)
                        .setSourceId(c.getSourceId())
                        .setExternalId(c.getExternalId())
                        .setTitle(c.getTitle())
                        .setWorkspace(c.getWorkspace())
                        .setSourceAdapter(c.getSourceId())
                        .setReadableId(c.getReadableId())
                        .build());
            }
        }
        int from = (int) Math.min(hits.size(), Math.max(0, r.getOffset()));
        int to = r.getLimit() > 0 ? (int) Math.min(hits.size(), from + r.getLimit()) : hits.size();
        return List.copyOf(hits.subList(from, to));
    }

    /** How many messages are stored in all, for the tests. */
    /**
     * Everything held, to {@code file} (replaced atomically): each conversation as a length-delimited
     * WriteConversationRequest with its messages. Server-made ids are not kept: hstry's client finds conversations by
     * source and external id.
     */
    synchronized void save(java.nio.file.Path file) throws java.io.IOException {
        java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(tmp)) {
            for (Stored s : conversations.values()) {
                WriteConversationRequest.newBuilder()
                        .setConversation(s.snapshot())
                        .addAllMessages(s.messages.values())
                        .build()
                        .writeDelimitedTo(out);
            }
        }
        java.nio.file.Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** What {@link #save} wrote, when the file exists. */
    synchronized void load(java.nio.file.Path file) throws java.io.IOException {
        if (!java.nio.file.Files.exists(file)) {
            return;
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            WriteConversationRequest r;
            while ((r = WriteConversationRequest.parseDelimitedFrom(in)) != null) {
                Stored s = new Stored(r.getConversation().toBuilder());
                for (Message m : r.getMessagesList()) {
                    s.messages.put(m.getIdx(), m);
                }
                conversations.put(
                        key(
                                r.getConversation().getSourceId(),
                                r.getConversation().getExternalId()),
                        s);
            }
        }
    }

    synchronized int messageCount() {
        return conversations.values().stream().mapToInt(s -> s.messages.size()).sum();
    }

    private Optional<Stored> lookup(
            String source, String external, String readable, String conversationId, String workspace) {
        if (external.isEmpty() && readable.isEmpty() && conversationId.isEmpty()) {
            return Optional.empty();
        }
        return conversations.values().stream()
                .filter(s -> source.isEmpty() || s.conversation.getSourceId().equals(source))
                .filter(s ->
                        workspace.isEmpty() || s.conversation.getWorkspace().equals(workspace))
                .filter(s -> (!external.isEmpty()
                                && (s.conversation.getExternalId().equals(external)
                                        || s.conversation.getPlatformId().equals(external)))
                        || (!readable.isEmpty()
                                && s.conversation.getReadableId().equals(readable))
                        || (!conversationId.isEmpty() && s.id.equals(conversationId)))
                .findFirst();
    }

    /** Messages by idx: the same content and parts is no change; returns how many were new or changed. */
    private int upsert(Stored s, List<Message> messages) {
        int written = 0;
        for (Message m : messages) {
            Message old = s.messages.get(m.getIdx());
            Message stored = normalise(m, old == null ? UUID.randomUUID().toString() : old.getId());
            if (old != null
                    && old.getContent().equals(stored.getContent())
                    && old.getPartsJson().equals(stored.getPartsJson())) {
                continue;
            }
            s.messages.put(m.getIdx(), stored);
            s.conversation.setVersion(s.conversation.getVersion() + 1);
            written++;
        }
        return written;
    }

    /** The server's part of a message: its id, the role normalised, content from the parts when empty, seconds. */
    private Message normalise(Message m, String id) {
        Message.Builder b = m.toBuilder().setId(id).setRole(role(m.getRole()));
        if (m.hasCreatedAtMs()) {
            b.setCreatedAtMs(seconds(m.getCreatedAtMs()));
        }
        if (m.getContent().isEmpty() && !m.getPartsJson().isEmpty()) {
            b.setContent(textOf(m.getPartsJson()));
        }
        if (m.getMetadataJson().isEmpty()) {
            b.setMetadataJson("{}");
        }
        return b.build();
    }

    private String textOf(String partsJson) {
        try {
            List<String> texts = new ArrayList<>();
            for (JsonNode p : json.readTree(partsJson)) {
                String type = p.path("type").asText();
                if (type.equals("text") || type.equals("thinking")) {
                    texts.add(p.path("text").asText());
                }
            }
            return String.join("\n\n", texts);
        } catch (java.io.IOException e) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("parts_json is not JSON: " + e.getMessage())
                    .asRuntimeException();
        }
    }

    static String role(String role) {
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "user", "human" -> "user";
            case "assistant", "agent", "ai", "bot" -> "assistant";
            case "system" -> "system";
            case "tool", "function" -> "tool";
            default -> "other";
        };
    }

    private WriteConversationResponse answer(Stored s, int written) {
        return WriteConversationResponse.newBuilder()
                .setConversationId(s.id)
                .setMessagesWritten(written)
                .setVersion(s.conversation.getVersion())
                .setMessageCount(s.messages.size())
                .build();
    }

    private Stored require(String source, String external) {
        Stored s = conversations.get(key(source, external));
        if (s == null) {
            throw Status.NOT_FOUND.withDescription("Conversation not found").asRuntimeException();
        }
        return s;
    }

    private static void requireIdentity(String source, String external) {
        if (source.isEmpty() || external.isEmpty()) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("source_id and external_id are required")
                    .asRuntimeException();
        }
    }

    static void uuid(String value, String field) {
        try {
            UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT
                    .withDescription(field + " is not a UUID: " + value)
                    .asRuntimeException();
        }
    }

    private String nextReadableId() {
        int n = readableIds++;
        String id = ADJECTIVES.get(n % ADJECTIVES.size()) + "-" + NOUNS.get((n / ADJECTIVES.size()) % NOUNS.size());
        return n < ADJECTIVES.size() * NOUNS.size() ? id : id + "-" + n;
    }

    private static long touched(Stored s) {
        return s.conversation.hasUpdatedAtMs() ? s.conversation.getUpdatedAtMs() : s.conversation.getCreatedAtMs();
    }

    /** hstry keeps whole seconds: {@code *_ms} comes back as seconds × 1000. */
    static long seconds(long ms) {
        return Math.floorDiv(ms, 1000) * 1000;
    }

    private static void copyOrClear(boolean set, Runnable copy, Runnable clear) {
        if (set) {
            copy.run();
        } else {
            clear.run();
        }
    }
}

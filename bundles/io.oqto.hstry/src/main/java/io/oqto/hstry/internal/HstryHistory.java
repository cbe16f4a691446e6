package io.oqto.hstry.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.oqto.hstry.proto.AppendMessagesRequest;
import io.oqto.hstry.proto.ConversationSummary;
import io.oqto.hstry.proto.DeleteConversationRequest;
import io.oqto.hstry.proto.GetConversationRequest;
import io.oqto.hstry.proto.GetMessagesRequest;
import io.oqto.hstry.proto.ListConversationsRequest;
import io.oqto.hstry.proto.Message;
import io.oqto.hstry.proto.ReadServiceGrpc;
import io.oqto.hstry.proto.SearchRequest;
import io.oqto.hstry.proto.SearchServiceGrpc;
import io.oqto.hstry.proto.UpdateConversationRequest;
import io.oqto.hstry.proto.WriteConversationRequest;
import io.oqto.hstry.proto.WriteServiceGrpc;
import io.oqto.runner.protocol.JsonTrees;
import io.oqto.runner.spi.history.Conversation;
import io.oqto.runner.spi.history.HistoryException;
import io.oqto.runner.spi.history.HistoryMessage;
import io.oqto.runner.spi.history.HistoryStore;
import io.oqto.runner.spi.history.SearchHit;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HistoryStore} in hstry, over its gRPC API: conversations under source {@code pi} with the agent session's
 * id as {@code external_id}; a write appends (the caller's idx) and, when hstry does not know the conversation yet,
 * writes it whole, then updates its title and workspace as the original does. hstry's message limit (64 MiB) is
 * taken for answers too. Not reachable, too slow or hstry's internal failures are retryable; its refusals
 * (INVALID_ARGUMENT, NOT_FOUND, …) are not.
 */
final class HstryHistory implements HistoryStore, AutoCloseable {

    static final String SOURCE = "pi";
    static final int MAX_MESSAGE_SIZE = 64 << 20;
    private static final JsonFactory JSON = new JsonFactory();

    private final ManagedChannel channel;
    private final EpollEventLoopGroup loops;
    private final ExecutorService executor;
    private final String where;
    private final long deadlineMs;

    private HstryHistory(
            ManagedChannel channel,
            EpollEventLoopGroup loops,
            ExecutorService executor,
            String where,
            long deadlineMs) {
        this.channel = channel;
        this.loops = loops;
        this.executor = executor;
        this.where = where;
        this.deadlineMs = deadlineMs;
    }

    /** The first candidate that answers; HistoryException (retryable) when none does. */
    static HstryHistory connect(List<HstryDiscovery.Endpoint> candidates, long deadlineMs) throws HistoryException {
        List<String> tried = new ArrayList<>();
        for (HstryDiscovery.Endpoint e : candidates) {
            HstryHistory h = open(e, deadlineMs);
            try {
                h.list(1, 0);
                return h;
            } catch (HistoryException x) {
                tried.add(h.where + ": " + x.getMessage());
                h.close();
            }
        }
        throw new HistoryException(
                tried.isEmpty()
                        ? "hstry is not running: no service.sock or service.port found"
                        : "hstry does not answer (" + String.join("; ", tried) + ")",
                true);
    }

    /**
     * A channel with threads of its own (one event loop, one executor), so that closing it leaves no thread behind:
     * gRPC's shared pools would outlive this bundle's class loader after an update.
     */
    private static HstryHistory open(HstryDiscovery.Endpoint e, long deadlineMs) {
        EpollEventLoopGroup group = new EpollEventLoopGroup(1, daemon("oqto-hstry-io"));
        ExecutorService executor = Executors.newSingleThreadExecutor(daemon("oqto-hstry-calls"));
        NettyChannelBuilder b;
        String where;
        if (e instanceof HstryDiscovery.UnixSocket u) {
            b = NettyChannelBuilder.forAddress(new DomainSocketAddress(u.path().toString()))
                    .channelType(EpollDomainSocketChannel.class);
            where = "hstry at " + u.path();
        } else {
            int port = ((HstryDiscovery.Tcp) e).port();
            b = NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .channelType(EpollSocketChannel.class);
            where = "hstry at 127.0.0.1:" + port;
        }
        ManagedChannel c = b.eventLoopGroup(group)
                .executor(executor)
                .offloadExecutor(executor)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_SIZE)
                .build();
        return new HstryHistory(c, group, executor, where, deadlineMs);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String kind() {
        return "hstry";
    }

    String where() {
        return where;
    }

    @Override
    public void write(Conversation conversation, List<HistoryMessage> messages) throws HistoryException {
        List<Message> proto = new ArrayList<>();
        for (HistoryMessage m : messages) {
            proto.add(toProto(m));
        }
        call(() -> {
            try {
                write().appendMessages(AppendMessagesRequest.newBuilder()
                        .setSourceId(SOURCE)
                        .setExternalId(conversation.id())
                        .addAllMessages(proto)
                        .setUpdatedAtMs(conversation.updatedAtMs())
                        .build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
                write().writeConversation(WriteConversationRequest.newBuilder()
                        .setConversation(toProto(conversation))
                        .addAllMessages(proto)
                        .build());
            }
            UpdateConversationRequest.Builder u = UpdateConversationRequest.newBuilder()
                    .setSourceId(SOURCE)
                    .setExternalId(conversation.id())
                    .setHarness("pi")
                    .setPlatformId(conversation.id())
                    .setMetadataJson(metadata(conversation));
            if (conversation.title() != null) {
                u.setTitle(conversation.title());
            }
            if (conversation.workspace() != null) {
                u.setWorkspace(conversation.workspace());
            }
            if (conversation.model() != null) {
                u.setModel(conversation.model());
            }
            return write().updateConversation(u.build());
        });
    }

    @Override
    public List<Conversation> list(int limit, int offset) throws HistoryException {
        // hstry ignores offset: ask for both and skip here.
        List<ConversationSummary> all = call(() -> read().listConversations(ListConversationsRequest.newBuilder()
                        .setSourceId(SOURCE)
                        .setLimit(limit <= 0 ? 0 : (long) limit + offset)
                        .build())
                .getConversationsList());
        List<Conversation> out = new ArrayList<>();
        for (ConversationSummary s : all.subList(Math.min(offset, all.size()), all.size())) {
            out.add(fromProto(s.getConversation(), s.getMessageCount()));
        }
        return out;
    }

    @Override
    public Optional<Conversation> find(String id) throws HistoryException {
        var answer = call(() -> read().getConversation(GetConversationRequest.newBuilder()
                .setSourceId(SOURCE)
                .setExternalId(id)
                .build()));
        return answer.hasConversation()
                ? Optional.of(fromProto(
                        answer.getConversation(), answer.getConversation().getMessageCount()))
                : Optional.empty();
    }

    @Override
    public List<HistoryMessage> messages(String id, int limit, boolean tail) throws HistoryException {
        List<Message> all = call(() -> read().getMessages(GetMessagesRequest.newBuilder()
                        .setSourceId(SOURCE)
                        .setExternalId(id)
                        .setLimit(tail && limit > 0 ? limit : 0)
                        .build())
                .getMessagesList());
        List<HistoryMessage> out = new ArrayList<>();
        for (Message m : tail || limit <= 0 ? all : all.subList(0, Math.min(limit, all.size()))) {
            out.add(fromProto(m));
        }
        return out;
    }

    @Override
    public List<SearchHit> search(String query, @Nullable String workspace, @Nullable String role, int limit)
            throws HistoryException {
        var hits = call(() -> search().search(SearchRequest.newBuilder()
                        .setQuery(query)
                        .setSource(SOURCE)
                        .setWorkspace(workspace == null ? "" : workspace)
                        .setRole(role == null ? "" : role)
                        .setLimit(limit)
                        .build())
                .getHitsList());
        List<SearchHit> out = new ArrayList<>();
        for (var h : hits) {
            out.add(new SearchHit(
                    h.getExternalId(), h.getMessageIdx(), h.getRole(), h.getSnippet(), h.getCreatedAtMs()));
        }
        return out;
    }

    @Override
    public void rename(String id, String title) throws HistoryException {
        call(() -> write().updateConversation(UpdateConversationRequest.newBuilder()
                .setSourceId(SOURCE)
                .setExternalId(id)
                .setTitle(title)
                .build()));
    }

    @Override
    public boolean delete(String id) throws HistoryException {
        try {
            call(() -> write().deleteConversation(DeleteConversationRequest.newBuilder()
                    .setSourceId(SOURCE)
                    .setExternalId(id)
                    .build()));
            return true;
        } catch (HistoryException e) {
            if (e.getCause() instanceof StatusRuntimeException s
                    && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        executor.shutdownNow();
    }

    private WriteServiceGrpc.WriteServiceBlockingStub write() {
        return WriteServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
    }

    private ReadServiceGrpc.ReadServiceBlockingStub read() {
        return ReadServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
    }

    private SearchServiceGrpc.SearchServiceBlockingStub search() {
        return SearchServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
    }

    /** One call: not reachable (UNAVAILABLE, DEADLINE_EXCEEDED) is retryable; hstry's refusals are not. */
    private <T> T call(Rpc<T> rpc) throws HistoryException {
        try {
            return rpc.run();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            // Not there, too slow, or hstry's own "Failed to …" (its storage): worth trying again later.
            boolean retryable = code == Status.Code.UNAVAILABLE
                    || code == Status.Code.DEADLINE_EXCEEDED
                    || code == Status.Code.INTERNAL;
            throw new HistoryException(
                    where + ": " + code
                            + (e.getStatus().getDescription() == null
                                    ? ""
                                    : " " + e.getStatus().getDescription()),
                    retryable,
                    e);
        }
    }

    @FunctionalInterface
    private interface Rpc<T> {
        T run();
    }

    private Message toProto(HistoryMessage m) throws HistoryException {
        Message.Builder b = Message.newBuilder()
                .setIdx(m.idx())
                .setRole(m.role())
                .setContent(m.content())
                .setCreatedAtMs(m.createdAtMs())
                .setHarness("pi")
                .setPartsJson(m.partsJson());
        if (m.model() != null) {
            b.setModel(m.model());
        }
        if (m.provider() != null) {
            b.setProvider(m.provider());
        }
        if (m.tokens() != null) {
            b.setTokens(m.tokens());
        }
        if (m.costUsd() != null) {
            b.setCostUsd(m.costUsd());
        }
        return b.build();
    }

    private HistoryMessage fromProto(Message m) throws HistoryException {
        List<Map<String, Object>> parts;
        try {
            parts = HistoryMessage.partsFrom(m.getPartsJson());
        } catch (IOException e) {
            throw new HistoryException(
                    where + " sent message " + m.getIdx() + " with parts that are not JSON", false, e);
        }
        return new HistoryMessage(
                m.getIdx(),
                m.getRole(),
                m.getContent(),
                parts,
                m.hasCreatedAtMs() ? m.getCreatedAtMs() : 0,
                m.hasModel() ? m.getModel() : null,
                m.hasProvider() ? m.getProvider() : null,
                m.hasTokens() ? m.getTokens() : null,
                m.hasCostUsd() ? m.getCostUsd() : null);
    }

    private static io.oqto.hstry.proto.Conversation toProto(Conversation c) {
        io.oqto.hstry.proto.Conversation.Builder b = io.oqto.hstry.proto.Conversation.newBuilder()
                .setSourceId(SOURCE)
                .setExternalId(c.id())
                .setCreatedAtMs(c.createdAtMs())
                .setUpdatedAtMs(c.updatedAtMs())
                .setPlatformId(c.id())
                .setHarness("pi")
                .setTokensIn(c.tokens())
                .setCostUsd(c.costUsd())
                .setMetadataJson(metadata(c));
        if (c.title() != null) {
            b.setTitle(c.title());
        }
        if (c.workspace() != null) {
            b.setWorkspace(c.workspace());
        }
        if (c.model() != null) {
            b.setModel(c.model());
        }
        return b.build();
    }

    private static Conversation fromProto(io.oqto.hstry.proto.Conversation c, long messages) {
        return new Conversation(
                c.getExternalId(),
                c.hasTitle() ? c.getTitle() : null,
                c.hasWorkspace() ? c.getWorkspace() : null,
                c.hasModel() ? c.getModel() : null,
                c.getCreatedAtMs(),
                c.hasUpdatedAtMs() ? c.getUpdatedAtMs() : c.getCreatedAtMs(),
                messages,
                (c.hasTokensIn() ? c.getTokensIn() : 0) + (c.hasTokensOut() ? c.getTokensOut() : 0),
                c.hasCostUsd() ? c.getCostUsd() : 0,
                agentSession(c.getMetadataJson()));
    }

    /**
     * The original's conversation metadata ({@code oqto_session_id}, {@code workdir}, {@code stats}) and pi's own
     * session id, which a resume needs to continue pi's context.
     */
    static String metadata(Conversation c) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("tokens", c.tokens());
        stats.put("cost_usd", c.costUsd());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("oqto_session_id", c.id());
        m.put("workdir", c.workspace());
        m.put("pi_session_id", c.agentSession());
        m.put("stats", stats);
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            JsonTrees.write(g, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** pi's session id from a conversation's metadata, or null (absent, or not ours). */
    static @Nullable String agentSession(String metadataJson) {
        if (metadataJson.isEmpty()) {
            return null;
        }
        try (JsonParser p = JSON.createParser(metadataJson)) {
            JsonToken t = p.nextToken();
            Object v = t == null ? null : JsonTrees.read(p, t);
            return v instanceof Map<?, ?> m && m.get("pi_session_id") instanceof String s ? s : null;
        } catch (IOException e) {
            return null; // metadata another writer left is not ours to judge
        }
    }
}

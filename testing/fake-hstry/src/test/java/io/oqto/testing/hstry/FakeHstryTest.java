package io.oqto.testing.hstry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.oqto.hstry.proto.AddTagRequest;
import io.oqto.hstry.proto.AppendMessagesRequest;
import io.oqto.hstry.proto.Conversation;
import io.oqto.hstry.proto.GetConversationRequest;
import io.oqto.hstry.proto.GetMessagesRequest;
import io.oqto.hstry.proto.ListConversationsRequest;
import io.oqto.hstry.proto.Message;
import io.oqto.hstry.proto.ReadServiceGrpc;
import io.oqto.hstry.proto.SearchRequest;
import io.oqto.hstry.proto.SearchServiceGrpc;
import io.oqto.hstry.proto.UpdateConversationRequest;
import io.oqto.hstry.proto.WriteConversationRequest;
import io.oqto.hstry.proto.WriteConversationResponse;
import io.oqto.hstry.proto.WriteServiceGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The double against hstry's documented semantics (services-spec §1.4) and its two transports (§1.1). */
class FakeHstryTest {

    @TempDir
    Path state;

    private FakeHstry hstry;
    private ManagedChannel channel;
    private WriteServiceGrpc.WriteServiceBlockingStub write;
    private ReadServiceGrpc.ReadServiceBlockingStub read;

    @BeforeEach
    void start() throws Exception {
        String name = "hstry-" + System.nanoTime();
        hstry = new FakeHstry().startInProcess(name);
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        write = WriteServiceGrpc.newBlockingStub(channel);
        read = ReadServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        hstry.close();
    }

    private static Conversation conversation(String session) {
        return Conversation.newBuilder()
                .setSourceId("pi")
                .setExternalId(session)
                .setTitle("t")
                .setCreatedAtMs(1_700_000_000_123L)
                .setWorkspace("/home/alice/oqto")
                .build();
    }

    private static Message message(int idx, String role, String content) {
        return Message.newBuilder()
                .setIdx(idx)
                .setRole(role)
                .setContent(content)
                .build();
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    @Test
    void messagesUpsertByIdxAndTheVersionCountsChanges() {
        WriteConversationResponse first = write.writeConversation(WriteConversationRequest.newBuilder()
                .setConversation(conversation("s1"))
                .addMessages(message(0, "human", "hello"))
                .addMessages(message(1, "agent", "hi"))
                .build());
        assertEquals(List.of(2, 2), List.of(first.getMessagesWritten(), first.getMessageCount()));
        AppendMessagesRequest.Builder append =
                AppendMessagesRequest.newBuilder().setSourceId("pi").setExternalId("s1");
        var same = write.appendMessages(
                append.clone().addMessages(message(1, "assistant", "hi")).build());
        assertEquals(0, same.getMessagesWritten(), "the same content again is no change");
        assertEquals(first.getVersion(), same.getVersion());
        var changed = write.appendMessages(
                append.clone().addMessages(message(1, "assistant", "hi there")).build());
        assertEquals(List.of(1L, 2L), List.of((long) changed.getMessagesWritten(), (long) changed.getMessageCount()));
        assertEquals(first.getVersion() + 1, changed.getVersion());
        var added = write.appendMessages(
                append.clone().addMessages(message(2, "tool", "ok")).build());
        assertEquals(3, added.getMessageCount());

        List<Message> all = read.getMessages(
                        GetMessagesRequest.newBuilder().setExternalId("s1").build())
                .getMessagesList();
        assertEquals(
                List.of("user", "assistant", "tool"),
                all.stream().map(Message::getRole).toList(),
                "normalised");
        assertEquals("hi there", all.get(1).getContent());
        assertFalse(all.get(0).getId().isEmpty(), "the server's id on read");
        assertEquals(
                List.of(1, 2),
                read
                        .getMessages(GetMessagesRequest.newBuilder()
                                .setExternalId("s1")
                                .setLimit(2)
                                .build())
                        .getMessagesList()
                        .stream()
                        .map(Message::getIdx)
                        .toList(),
                "limit: the last N");
    }

    @Test
    void unknownConversationsAndMissingIdentitiesAreRefusedAsHstryDoes() {
        assertEquals(
                Status.Code.NOT_FOUND,
                code(() -> write.appendMessages(AppendMessagesRequest.newBuilder()
                        .setSourceId("pi")
                        .setExternalId("nope")
                        .addMessages(message(0, "user", "x"))
                        .build())));
        assertEquals(
                Status.Code.NOT_FOUND,
                code(() -> write.updateConversation(UpdateConversationRequest.newBuilder()
                        .setSourceId("pi")
                        .setExternalId("nope")
                        .setTitle("x")
                        .build())));
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                code(() -> write.updateConversation(UpdateConversationRequest.newBuilder()
                        .setExternalId("s")
                        .build())));
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                code(() -> write.writeConversation(WriteConversationRequest.getDefaultInstance())));
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                code(() -> write.addTag(AddTagRequest.newBuilder()
                        .setConversationId("not-a-uuid")
                        .setTag("x")
                        .build())));
        assertFalse(
                read.getConversation(GetConversationRequest.newBuilder()
                                .setExternalId("nope")
                                .build())
                        .hasConversation(),
                "not found is an empty answer, not an error");
        assertFalse(read.getConversation(GetConversationRequest.getDefaultInstance())
                .hasConversation());
    }

    @Test
    void aConversationIsFoundByAnyOfItsIdsAndKeepsWholeSeconds() {
        String id = write.writeConversation(WriteConversationRequest.newBuilder()
                        .setConversation(conversation("s1").toBuilder().setPlatformId("oqto-7"))
                        .build())
                .getConversationId();
        Conversation c = read.getConversation(GetConversationRequest.newBuilder()
                        .setExternalId("oqto-7")
                        .build())
                .getConversation();
        assertEquals("s1", c.getExternalId(), "external_id is tried against platform_id too");
        assertEquals(1_700_000_000_000L, c.getCreatedAtMs(), "seconds x 1000");
        assertEquals("cold-lamp", c.getReadableId(), "assigned when missing");
        assertEquals(
                "s1",
                read.getConversation(GetConversationRequest.newBuilder()
                                .setConversationId(id)
                                .build())
                        .getConversation()
                        .getExternalId());
        assertEquals(
                "s1",
                read.getConversation(GetConversationRequest.newBuilder()
                                .setReadableId("cold-lamp")
                                .build())
                        .getConversation()
                        .getExternalId());
        assertFalse(
                read.getConversation(GetConversationRequest.newBuilder()
                                .setExternalId("s1")
                                .setWorkspace("/elsewhere")
                                .build())
                        .hasConversation(),
                "workspace narrows");

        // Upsert: the workspace is kept when the new one is empty, the title overwritten, the version bumped.
        WriteConversationResponse again = write.writeConversation(WriteConversationRequest.newBuilder()
                .setConversation(conversation("s1").toBuilder().setTitle("new").clearWorkspace())
                .build());
        assertEquals(2, again.getVersion());
        Conversation after = read.getConversation(
                        GetConversationRequest.newBuilder().setExternalId("s1").build())
                .getConversation();
        assertEquals(List.of("new", "/home/alice/oqto"), List.of(after.getTitle(), after.getWorkspace()));
    }

    @Test
    void listsAreNewestFirstWithTheOffsetIgnoredAndSearchFindsWords() {
        for (int i = 0; i < 3; i++) {
            write.writeConversation(WriteConversationRequest.newBuilder()
                    .setConversation(conversation("s" + i).toBuilder().setUpdatedAtMs(1_700_000_000_000L + i * 10_000L))
                    .addMessages(message(0, "user", "question number " + i + " about zebras"))
                    .build());
        }
        var list = read.listConversations(
                ListConversationsRequest.newBuilder().setLimit(2).setOffset(1).build());
        assertEquals(
                List.of("s2", "s1"),
                list.getConversationsList().stream()
                        .map(s -> s.getConversation().getExternalId())
                        .toList());
        assertEquals("question number 2 about zebras", list.getConversations(0).getFirstUserMessage());
        var hits = SearchServiceGrpc.newBlockingStub(channel)
                .search(SearchRequest.newBuilder().setQuery("NUMBER 1").build())
                .getHitsList();
        assertEquals(1, hits.size());
        assertEquals(
                List.of("s1", "user"),
                List.of(hits.get(0).getExternalId(), hits.get(0).getRole()));
        assertTrue(hits.get(0).getSnippet().contains("number 1"), hits.get(0).getSnippet());
    }

    @Test
    void aWriteCanBeMadeToFailOnce() {
        hstry.failNextWrite(Status.INTERNAL.withDescription("Failed to write: disk full"));
        assertEquals(
                Status.Code.INTERNAL,
                code(() -> write.writeConversation(WriteConversationRequest.newBuilder()
                        .setConversation(conversation("s1"))
                        .build())));
        assertEquals(
                0,
                write.writeConversation(WriteConversationRequest.newBuilder()
                                .setConversation(conversation("s1"))
                                .build())
                        .getMessagesWritten());
    }

    @Test
    void overTcpThePortIsInServicePortAndWhatItStoredOutlivesARestart() throws Exception {
        try (FakeHstry tcp = new FakeHstry().startTcp(state)) {
            Path portFile = state.resolve("hstry/service.port");
            int port = Integer.parseInt(Files.readString(portFile).strip());
            ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .usePlaintext()
                    .build();
            WriteServiceGrpc.newBlockingStub(c)
                    .writeConversation(WriteConversationRequest.newBuilder()
                            .setConversation(conversation("kept"))
                            .addMessages(message(0, "user", "x"))
                            .build());
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            tcp.stop();
            assertFalse(Files.exists(portFile), "gone while it is down");
            tcp.startTcp(state);
            int again = Integer.parseInt(Files.readString(portFile).strip());
            ManagedChannel c2 = NettyChannelBuilder.forAddress("127.0.0.1", again)
                    .usePlaintext()
                    .build();
            assertTrue(ReadServiceGrpc.newBlockingStub(c2)
                    .getConversation(GetConversationRequest.newBuilder()
                            .setExternalId("kept")
                            .build())
                    .hasConversation());
            c2.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void overAUnixSocketInServiceSockOwnerOnly() throws Exception {
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        try (FakeHstry unix = new FakeHstry().startUnix(state)) {
            Path socket = state.resolve("hstry/service.sock");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            ManagedChannel c = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollDomainSocketChannel.class)
                    .eventLoopGroup(group)
                    .usePlaintext()
                    .build();
            assertEquals(
                    1,
                    WriteServiceGrpc.newBlockingStub(c)
                            .writeConversation(WriteConversationRequest.newBuilder()
                                    .setConversation(conversation("u"))
                                    .addMessages(message(0, "user", "over the socket"))
                                    .build())
                            .getMessageCount());
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(state.resolve("hstry/service.sock")));
    }

    @Test
    void persistedWhatItHoldsOutlivesARestartOfTheProcess() throws Exception {
        Path file = state.resolve("fake-hstry.pb");
        String first = "hstry-p1-" + System.nanoTime();
        try (FakeHstry one = new FakeHstry().persistTo(file).startInProcess(first)) {
            ManagedChannel c =
                    InProcessChannelBuilder.forName(first).directExecutor().build();
            WriteServiceGrpc.newBlockingStub(c)
                    .writeConversation(WriteConversationRequest.newBuilder()
                            .setConversation(conversation("kept"))
                            .addMessages(message(0, "user", "before the restart"))
                            .addMessages(message(1, "assistant", "noted"))
                            .build());
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        String second = "hstry-p2-" + System.nanoTime();
        try (FakeHstry two = new FakeHstry().persistTo(file).startInProcess(second)) {
            ManagedChannel c =
                    InProcessChannelBuilder.forName(second).directExecutor().build();
            assertEquals(
                    List.of("before the restart", "noted"),
                    ReadServiceGrpc.newBlockingStub(c)
                            .getMessages(GetMessagesRequest.newBuilder()
                                    .setSourceId("pi")
                                    .setExternalId("kept")
                                    .build())
                            .getMessagesList()
                            .stream()
                            .map(Message::getContent)
                            .toList());
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

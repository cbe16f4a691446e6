package io.oqto.testing.hstry;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import io.oqto.hstry.proto.AddTagRequest;
import io.oqto.hstry.proto.AddTagResponse;
import io.oqto.hstry.proto.AppendMessagesRequest;
import io.oqto.hstry.proto.AppendMessagesResponse;
import io.oqto.hstry.proto.DeleteConversationRequest;
import io.oqto.hstry.proto.DeleteConversationResponse;
import io.oqto.hstry.proto.GetConversationRequest;
import io.oqto.hstry.proto.GetConversationResponse;
import io.oqto.hstry.proto.GetMessageEventsRequest;
import io.oqto.hstry.proto.GetMessageEventsResponse;
import io.oqto.hstry.proto.GetMessagesRequest;
import io.oqto.hstry.proto.GetMessagesResponse;
import io.oqto.hstry.proto.ListConversationsRequest;
import io.oqto.hstry.proto.ListConversationsResponse;
import io.oqto.hstry.proto.ReadServiceGrpc;
import io.oqto.hstry.proto.RemoveTagRequest;
import io.oqto.hstry.proto.RemoveTagResponse;
import io.oqto.hstry.proto.SearchRequest;
import io.oqto.hstry.proto.SearchResponse;
import io.oqto.hstry.proto.SearchServiceGrpc;
import io.oqto.hstry.proto.UpdateConversationRequest;
import io.oqto.hstry.proto.UpdateConversationResponse;
import io.oqto.hstry.proto.UploadAttachmentRequest;
import io.oqto.hstry.proto.UploadAttachmentResponse;
import io.oqto.hstry.proto.WriteConversationRequest;
import io.oqto.hstry.proto.WriteConversationResponse;
import io.oqto.hstry.proto.WriteServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * hstry's gRPC server with its storage rules ({@link HstryStore}), in memory. It can be stopped and started again
 * keeping what it stored (hstry going away and coming back), and can be told to fail the next write.
 */
public final class FakeHstry implements AutoCloseable {

    /** hstry's message limit, both ways (services-spec §1.1). */
    public static final int MAX_MESSAGE_SIZE = 64 << 20;

    private final HstryStore store = new HstryStore();
    private final AtomicReference<@Nullable Status> failNextWrite = new AtomicReference<>();
    private @Nullable Server server;
    private @Nullable EventLoopGroup loops;
    private @Nullable Path discoveryFile;
    /** Where what it holds is kept between runs ({@link #main}); null: in memory only. */
    private @Nullable Path dataFile;

    /**
     * {@code hstry service run}, as the double: serves on {@code $XDG_STATE_HOME/hstry/service.sock} (else
     * {@code ~/.local/state}) until killed, keeping what it holds in {@code fake-hstry.pb} beside the socket so that a
     * restart loses nothing, as hstry's database does.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("service") || !args[1].equals("run")) {
            System.err.println("usage: hstry service run");
            System.exit(64);
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        Path state = xdg != null && xdg.startsWith("/")
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        FakeHstry hstry = new FakeHstry()
                .persistTo(Files.createDirectories(state.resolve("hstry")).resolve("fake-hstry.pb"))
                .startUnix(state);
        System.out.println("fake hstry serving on " + state.resolve("hstry/service.sock"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hstry.stop();
            } catch (IOException e) {
                // exiting
            }
        }));
        Thread.currentThread().join();
    }

    /** Keeps what it holds in {@code file}: read now when it exists, written after every write. */
    public synchronized FakeHstry persistTo(Path file) throws IOException {
        store.load(file);
        dataFile = file;
        return this;
    }

    /** Serves in-process under {@code name} (for unit tests with grpc-inprocess). */
    public synchronized FakeHstry startInProcess(String name) throws IOException {
        server = services(InProcessServerBuilder.forName(name).directExecutor())
                .maxInboundMessageSize(MAX_MESSAGE_SIZE)
                .build()
                .start();
        return this;
    }

    /** Serves on 127.0.0.1 at a free port, written as text to {@code <stateDir>/hstry/service.port}, as hstry does. */
    public synchronized FakeHstry startTcp(Path stateDir) throws IOException {
        Server s = services(NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
                .maxInboundMessageSize(MAX_MESSAGE_SIZE)
                .build()
                .start();
        server = s;
        Path file = Files.createDirectories(stateDir.resolve("hstry")).resolve("service.port");
        Files.writeString(
                file, Integer.toString(((InetSocketAddress) s.getListenSockets().get(0)).getPort()));
        discoveryFile = file;
        return this;
    }

    /** Serves on the Unix socket {@code <stateDir>/hstry/service.sock} (0600), a stale one unlinked first. */
    public synchronized FakeHstry startUnix(Path stateDir) throws IOException {
        Path socket = Files.createDirectories(stateDir.resolve("hstry")).resolve("service.sock");
        Files.deleteIfExists(socket);
        EpollEventLoopGroup group = new EpollEventLoopGroup(2);
        loops = group;
        server = services(NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString())))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .maxInboundMessageSize(MAX_MESSAGE_SIZE)
                .build()
                .start();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        discoveryFile = socket;
        return this;
    }

    /** Stops serving (what it stored stays, for a later start) and removes its discovery file. */
    public synchronized void stop() throws IOException {
        Server s = server;
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        EventLoopGroup g = loops;
        if (g != null) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        if (discoveryFile != null) {
            Files.deleteIfExists(discoveryFile);
        }
        server = null;
        loops = null;
        discoveryFile = null;
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    /** The next write (Write, Append, Update, Delete) fails with {@code status}, as a broken hstry would. */
    public void failNextWrite(Status status) {
        failNextWrite.set(status);
    }

    /** How many messages it holds in all. */
    public int messageCount() {
        return store.messageCount();
    }

    private <B extends io.grpc.ServerBuilder<B>> B services(B builder) {
        return builder.addService(write()).addService(read()).addService(search());
    }

    private BindableService write() {
        return new WriteServiceGrpc.WriteServiceImplBase() {
            @Override
            public void writeConversation(WriteConversationRequest r, StreamObserver<WriteConversationResponse> out) {
                answer(out, true, () -> {
                    if (!r.hasConversation()) {
                        throw Status.INVALID_ARGUMENT
                                .withDescription("conversation is required")
                                .asRuntimeException();
                    }
                    return store.write(r.getConversation(), r.getMessagesList());
                });
            }

            @Override
            public void appendMessages(AppendMessagesRequest r, StreamObserver<AppendMessagesResponse> out) {
                answer(out, true, () -> {
                    WriteConversationResponse w = store.append(r);
                    return AppendMessagesResponse.newBuilder()
                            .setConversationId(w.getConversationId())
                            .setMessagesWritten(w.getMessagesWritten())
                            .setVersion(w.getVersion())
                            .setMessageCount(w.getMessageCount())
                            .build();
                });
            }

            @Override
            public void updateConversation(
                    UpdateConversationRequest r, StreamObserver<UpdateConversationResponse> out) {
                answer(
                        out,
                        true,
                        () -> UpdateConversationResponse.newBuilder()
                                .setConversationId(store.update(r))
                                .build());
            }

            @Override
            public void deleteConversation(
                    DeleteConversationRequest r, StreamObserver<DeleteConversationResponse> out) {
                answer(
                        out,
                        true,
                        () -> DeleteConversationResponse.newBuilder()
                                .setConversationId(store.delete(r.getSourceId(), r.getExternalId()))
                                .build());
            }

            @Override
            public void addTag(AddTagRequest r, StreamObserver<AddTagResponse> out) {
                answer(
                        out,
                        false,
                        () -> AddTagResponse.newBuilder()
                                .setAdded(store.tag(r.getConversationId(), r.getTag(), true))
                                .build());
            }

            @Override
            public void removeTag(RemoveTagRequest r, StreamObserver<RemoveTagResponse> out) {
                answer(
                        out,
                        false,
                        () -> RemoveTagResponse.newBuilder()
                                .setRemoved(store.tag(r.getConversationId(), r.getTag(), false))
                                .build());
            }

            @Override
            public void uploadAttachment(UploadAttachmentRequest r, StreamObserver<UploadAttachmentResponse> out) {
                answer(out, false, () -> {
                    HstryStore.uuid(r.getMessageId(), "message_id");
                    return UploadAttachmentResponse.newBuilder()
                            .setAttachmentId(UUID.randomUUID().toString())
                            .build();
                });
            }
        };
    }

    private BindableService read() {
        return new ReadServiceGrpc.ReadServiceImplBase() {
            @Override
            public void getConversation(GetConversationRequest r, StreamObserver<GetConversationResponse> out) {
                answer(out, false, () -> {
                    GetConversationResponse.Builder b = GetConversationResponse.newBuilder();
                    store.find(
                                    r.getSourceId(),
                                    r.getExternalId(),
                                    r.getReadableId(),
                                    r.getConversationId(),
                                    r.getWorkspace())
                            .ifPresent(b::setConversation);
                    return b.build();
                });
            }

            @Override
            public void getMessages(GetMessagesRequest r, StreamObserver<GetMessagesResponse> out) {
                answer(out, false, () -> {
                    Map.Entry<String, List<io.oqto.hstry.proto.Message>> m = store.messages(
                            r.getSourceId(),
                            r.getExternalId(),
                            r.getReadableId(),
                            r.getConversationId(),
                            r.getWorkspace(),
                            r.getLimit());
                    return GetMessagesResponse.newBuilder()
                            .setConversationId(m.getKey())
                            .addAllMessages(m.getValue())
                            .build();
                });
            }

            @Override
            public void getMessageEvents(GetMessageEventsRequest r, StreamObserver<GetMessageEventsResponse> out) {
                // [storage.message_events] is off by default: no events.
                answer(
                        out,
                        false,
                        () -> GetMessageEventsResponse.newBuilder()
                                .setConversationId(store.messages(
                                                r.getSourceId(),
                                                r.getExternalId(),
                                                r.getReadableId(),
                                                r.getConversationId(),
                                                r.getWorkspace(),
                                                1)
                                        .getKey())
                                .build());
            }

            @Override
            public void listConversations(ListConversationsRequest r, StreamObserver<ListConversationsResponse> out) {
                answer(
                        out,
                        false,
                        () -> ListConversationsResponse.newBuilder()
                                .addAllConversations(store.list(r.getSourceId(), r.getWorkspace(), r.getLimit()))
                                .build());
            }
        };
    }

    private BindableService search() {
        return new SearchServiceGrpc.SearchServiceImplBase() {
            @Override
            public void search(SearchRequest r, StreamObserver<SearchResponse> out) {
                answer(
                        out,
                        false,
                        () -> SearchResponse.newBuilder()
                                .addAllHits(store.search(r))
                                .build());
            }
        };
    }

    /** One unary answer: a status error as hstry gives it, anything else as INTERNAL "Failed to …". */
    private <T> void answer(StreamObserver<T> out, boolean isWrite, Supplier<T> work) {
        Status injected = isWrite ? failNextWrite.getAndSet(null) : null;
        try {
            if (injected != null) {
                throw injected.asRuntimeException();
            }
            T value = work.get();
            Path data = dataFile;
            if (isWrite && data != null) {
                store.save(data);
            }
            out.onNext(value);
            out.onCompleted();
        } catch (StatusRuntimeException e) {
            out.onError(e);
        } catch (IOException e) {
            out.onError(Status.INTERNAL
                    .withDescription("Failed to save the database: " + e.getMessage())
                    .asRuntimeException());
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL
                    .withDescription("Failed to handle the request: " + e.getMessage())
                    .asRuntimeException());
        }
    }
}

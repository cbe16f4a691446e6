package io.oqto.files;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The user's file server: HTTP/1.1 on a Unix socket (mode 0600), every path confined to the root. The
 * original listened on a TCP port; a Unix socket in the user's runtime directory is reachable by that user
 * (and whom they grant) only.
 *
 * <pre>oqto-files --socket PATH --root DIR [--max-upload BYTES]</pre>
 */
public final class FileServer implements AutoCloseable {

    static final int MAX_CONNECTIONS = 32;
    /** Unread body bytes drained to keep a connection usable; beyond this the connection is closed instead. */
    static final long MAX_DRAIN = 1 << 20;

    private final ServerSocketChannel server;
    private final Path socket;
    private final FileRoutes routes;
    private final ExecutorService connections =
            new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "oqto-files-connection");
                t.setDaemon(true);
                return t;
            });

    FileServer(Path socket, Path root, long maxUpload) throws IOException {
        this.socket = socket;
        this.routes = new FileRoutes(new RootPaths(root), maxUpload);
        replaceStaleSocket(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    }

    public static void main(String[] args) throws Exception {
        Path socket = null;
        Path root = null;
        long maxUpload = 100L << 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[i + 1]);
                case "--root" -> root = Path.of(args[i + 1]);
                case "--max-upload" -> maxUpload = Long.parseLong(args[i + 1]);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (socket == null || root == null || args.length % 2 != 0) {
            usage("--socket and --root are required");
            return;
        }
        if (!Files.isDirectory(root)) {
            usage("root " + root + " is not a directory");
            return;
        }
        FileServer s = new FileServer(socket, root, maxUpload);
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        System.err.println("oqto-files: serving " + root.toRealPath() + " on " + socket);
        s.serve();
    }

    private static void usage(String problem) {
        System.err.println(
                "oqto-files: " + problem + "\nusage: oqto-files --socket PATH --root DIR [--max-upload BYTES]");
        System.exit(64);
    }

    /** Accepts connections until closed. */
    void serve() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                try {
                    connections.execute(() -> handle(c));
                } catch (RejectedExecutionException busy) {
                    // Every connection slot taken: refuse this one rather than queue without bound.
                    c.close();
                }
            } catch (IOException e) {
                if (server.isOpen()) {
                    System.err.println("oqto-files: accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void handle(SocketChannel c) {
        try (c;
                InputStream in = new BufferedInputStream(Channels.newInputStream(c));
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(c))) {
            while (true) {
                HttpRequest r;
                try {
                    r = HttpRequest.read(in);
                } catch (FileError e) {
                    HttpResponse.error(out, e);
                    return;
                }
                if (r == null) {
                    return;
                }
                BoundedInputStream body = new BoundedInputStream(in, r.contentLength());
                routes.handle(r, body, out);
                if (body.remaining() > MAX_DRAIN) {
                    return;
                }
                // Read what the route left unread even before closing: closing a socket with unread data
                // makes the client's read of the response fail with a reset.
                body.transferTo(OutputStream.nullOutputStream());
                if (!r.keepAlive()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // exiting anyway
        }
        connections.shutdownNow();
    }

    /** A socket file nobody listens on is left over from a killed server: replace it. Anything else stays. */
    private static void replaceStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .isOther()) {
            throw new IOException(socket + " exists and is not a socket; refusing to replace it");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new IOException("another server is listening on " + socket);
        } catch (ConnectException stale) {
            Files.delete(socket);
        }
    }
}

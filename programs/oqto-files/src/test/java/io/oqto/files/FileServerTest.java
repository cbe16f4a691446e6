package io.oqto.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The file server over a real Unix socket, with a client written against HTTP/1.1, not against the server. */
class FileServerTest {

    @TempDir
    Path dir;

    Path root;
    Path outside;
    Path socket;
    FileServer server;

    record Reply(int status, String body) {}

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(dir.resolve("ws"));
        outside = Files.writeString(dir.resolve("secret.txt"), "secret");
        socket = dir.resolve("files.sock");
        server = new FileServer(socket, root, 1024);
        Thread t = new Thread(server::serve, "test-file-server");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Reply call(String method, String target, byte[] body) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(c);
            out.write((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: "
                            + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            InputStream in = Channels.newInputStream(c);
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            return new Reply(status, all.substring(all.indexOf("\r\n\r\n") + 4));
        }
    }

    Reply call(String method, String target) throws IOException {
        return call(method, target, new byte[0]);
    }

    @Test
    void theSocketIsPrivateAndHealthNamesTheRoot() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        Reply r = call("GET", "/health");
        assertEquals(200, r.status());
        assertEquals("{\"status\":\"ok\",\"root\":\"" + root.toRealPath() + "\"}", r.body());
    }

    @Test
    void writeReadListRenameDelete() throws Exception {
        assertEquals(
                404,
                call("PUT", "/file?path=notes/a.txt", "hi".getBytes(StandardCharsets.UTF_8))
                        .status(),
                "no parent without mkdir");
        Reply put = call("PUT", "/file?path=notes/a.txt&mkdir=true", "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, put.status(), put.body());
        assertEquals("{\"success\":true,\"message\":\"written 5 bytes\",\"path\":\"notes/a.txt\"}", put.body());
        assertEquals(new Reply(200, "hello"), call("GET", "/file?path=notes%2Fa.txt"));
        assertEquals(200, call("PUT", "/mkdir?path=notes/sub").status());
        Reply tree = call("GET", "/tree?path=.&depth=2");
        assertTrue(
                tree.body()
                        .matches(
                                "\\[\\{\"name\":\"notes\",\"path\":\"notes\",\"type\":\"directory\",.*\"children\":\\[\\{\"name\":\"a.txt\","
                                        + "\"path\":\"notes/a.txt\",\"type\":\"file\",\"size\":5,.*\\{\"name\":\"sub\".*"),
                tree.body());
        assertEquals(
                200,
                call("POST", "/rename?old_path=notes/a.txt&new_path=notes/b.txt")
                        .status());
        assertEquals("hello", Files.readString(root.resolve("notes/b.txt")));
        assertEquals(409, call("DELETE", "/file?path=notes").status(), "not empty");
        assertEquals(200, call("DELETE", "/file?path=notes&recursive=true").status());
        assertFalse(Files.exists(root.resolve("notes")));
        assertEquals(
                new Reply(404, "{\"error\":\"no such file or directory: notes\",\"code\":\"NOT_FOUND\"}"),
                call("GET", "/file?path=notes"));
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(0, left.count(), "no temporary files left behind");
        }
    }

    @Test
    void badRequestsGetExactErrors() throws Exception {
        assertEquals(
                new Reply(413, "{\"error\":\"upload of 2000 bytes exceeds 1024\",\"code\":\"FILE_TOO_LARGE\"}"),
                call("PUT", "/file?path=big", new byte[2000]));
        assertEquals(new Reply(404, "{\"error\":\"no route /nope\",\"code\":\"NOT_FOUND\"}"), call("GET", "/nope"));
        assertEquals(
                new Reply(405, "{\"error\":\"POST is not allowed on /file\",\"code\":\"METHOD_NOT_ALLOWED\"}"),
                call("POST", "/file?path=x"));
        assertEquals(
                new Reply(400, "{\"error\":\"a path is required\",\"code\":\"INVALID_PATH\"}"), call("GET", "/file"));
        assertEquals(403, call("DELETE", "/file?path=.").status(), "the root stays");
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("GET", "/file?path=../secret.txt"),
                Arguments.of("GET", "/file?path=..%2Fsecret.txt"),
                Arguments.of("GET", "/file?path=a/../../secret.txt"),
                Arguments.of("GET", "/file?path=%2E%2E/secret.txt"),
                Arguments.of("GET", "/file?path=/etc/passwd"),
                Arguments.of("GET", "/file?path=link-out"),
                Arguments.of("GET", "/file?path=link-out-dir/secret.txt"),
                Arguments.of("GET", "/file?path=dangling"),
                Arguments.of("GET", "/tree?path=.."),
                Arguments.of("GET", "/tree?path=link-out-dir"),
                Arguments.of("PUT", "/file?path=link-out-dir/new.txt"),
                Arguments.of("PUT", "/file?path=../new.txt"),
                Arguments.of("PUT", "/mkdir?path=../made"),
                Arguments.of("DELETE", "/file?path=../secret.txt"),
                Arguments.of("POST", "/rename?old_path=../secret.txt&new_path=stolen.txt"),
                Arguments.of("POST", "/rename?old_path=inside.txt&new_path=../moved.txt"),
                Arguments.of("POST", "/rename?old_path=inside.txt&new_path=link-out-dir/moved.txt"));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void nothingOutsideTheRootIsReadOrWritten(String method, String target) throws Exception {
        Files.writeString(root.resolve("inside.txt"), "in");
        Files.createSymbolicLink(root.resolve("link-out"), outside);
        Files.createSymbolicLink(root.resolve("link-out-dir"), dir);
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("nowhere"));
        Reply r = call(method, target, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, r.status(), target + " → " + r.body());
        assertTrue(r.body().endsWith("\"code\":\"PATH_TRAVERSAL\"}"), r.body());
        assertEquals("secret", Files.readString(outside));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "nothing created beside the root: " + target);
        }
        assertEquals("in", Files.readString(root.resolve("inside.txt")));
    }

    @Test
    void nulAndOverlongPathsAreInvalid() throws Exception {
        assertEquals(400, call("GET", "/file?path=a%00b").status());
        assertEquals(400, call("GET", "/file?path=" + "a".repeat(5000)).status());
    }

    @Test
    void aKeptAliveConnectionServesRequestAfterRequest() throws Exception {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(c);
            // The first request's body is never read by its route (unknown route): it must be skipped.
            out.write(
                    "GET /nope HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /health HTTP/1.1\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.UTF_8));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            Channels.newInputStream(c).transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            assertTrue(
                    text.startsWith("HTTP/1.1 404 ") && text.contains("HTTP/1.1 200 OK") && text.endsWith("\"}"), text);
        }
    }
}

package io.oqto.workspace.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkspaceFilesTest {

    @TempDir
    Path tmp;

    Path root;
    Path outside;
    WorkspaceFiles files;

    /**
     * root/: a.txt, .hidden, dir/b.txt, dir/up -> ../.. (out), link-in -> dir, link-out -> outside/,
     * link-out-file -> outside/secret.txt, dangling -> /nonexistent. outside/secret.txt is the target to protect.
     */
    @BeforeEach
    void layout() throws Exception {
        root = Files.createDirectory(tmp.resolve("ws"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.writeString(root.resolve("a.txt"), "hello world");
        Files.writeString(root.resolve(".hidden"), "h");
        Files.createDirectory(root.resolve("dir"));
        Files.writeString(root.resolve("dir/b.txt"), "b");
        Files.createSymbolicLink(root.resolve("dir/up"), Path.of("../.."));
        Files.createSymbolicLink(root.resolve("link-in"), Path.of("dir"));
        Files.createSymbolicLink(root.resolve("link-out"), outside);
        Files.createSymbolicLink(root.resolve("link-out-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nonexistent-oqto-target"));
        files = new WorkspaceFiles(root);
    }

    private Frame call(String type, Object... kv) throws ProtocolException {
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return files.handle(new Frame("1", type, f));
    }

    private String error(String type, Object... kv) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> call(type, kv));
        return e.code().wire() + ": " + e.getMessage();
    }

    private String code(String type, Object... kv) {
        return assertThrows(ProtocolException.class, () -> call(type, kv))
                .code()
                .wire();
    }

    /** The traversal corpus: each request, the code it must get; nothing outside the root is touched. */
    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "read_file      | ../outside/secret.txt                  | path_not_allowed",
                "read_file      | dir/../../outside/secret.txt           | path_not_allowed",
                "read_file      | ..                                     | path_not_allowed",
                "read_file      | ./..                                   | path_not_allowed",
                "read_file      | dir/./../..                            | path_not_allowed",
                "read_file      | a.txt/..                               | path_not_allowed",
                "read_file      | /etc/passwd                            | path_not_allowed",
                "read_file      | //etc/passwd                           | path_not_allowed",
                "read_file      | link-out/secret.txt                    | path_not_allowed",
                "read_file      | link-out-file                          | path_not_allowed",
                "read_file      | dir/up/outside/secret.txt              | path_not_allowed",
                "read_file      | link-in/up/outside/secret.txt          | path_not_allowed",
                "read_file      | ü/../../outside/secret.txt             | path_not_allowed",
                "read_file      | %2e%2e/outside/secret.txt              | path_not_found",
                "read_file      | ..%2foutside%2fsecret.txt              | path_not_found",
                "read_file      | ..\\\\outside\\\\secret.txt            | path_not_found",
                "read_file      | ...                                    | path_not_found",
                "read_file      | dangling                               | path_not_found",
                "read_file      | dir                                    | not_a_file",
                "list_directory | link-out                               | path_not_allowed",
                "list_directory | ../outside                             | path_not_allowed",
                "list_directory | dir/up                                 | path_not_allowed",
                "stat           | link-out-file                          | path_not_allowed",
                "stat           | ../outside/secret.txt                  | path_not_allowed",
                "write_file     | ../outside/new.txt                     | path_not_allowed",
                "write_file     | link-out/new.txt                       | path_not_allowed",
                "write_file     | dir/up/outside/new.txt                 | path_not_allowed",
                "write_file     | dangling/new.txt                       | path_not_allowed",
                "write_file     | /tmp/new.txt                           | path_not_allowed",
                "create_directory | link-out/newdir                      | path_not_allowed",
                "create_directory | ../newdir                            | path_not_allowed",
                "delete_path    | link-out/secret.txt                    | path_not_allowed",
                "delete_path    | link-out-file                          | path_not_allowed",
                "delete_path    | ../outside                             | path_not_allowed",
                "delete_path    | ''                                     | path_not_allowed",
                "delete_path    | /                                      | path_not_allowed",
            })
    void traversalCorpus(String type, String path, String expected) throws Exception {
        String p = path.equals("''") ? "" : path;
        Map<String, Object> extra =
                type.equals("write_file") ? Map.of("data_base64", "eA==", "create_parents", true) : Map.of();
        Map<String, Object> f = new HashMap<>(extra);
        f.put("path", p);
        f.put("recursive", true);
        ProtocolException e = assertThrows(ProtocolException.class, () -> files.handle(new Frame("1", type, f)));
        assertEquals(expected, e.code().wire(), e.getMessage());
        assertOutsideUntouched();
    }

    @Test
    void nulLongPathsAndMissingFieldsAreRefused() {
        assertEquals(
                "path_not_allowed: path a.txt\\0.png is not allowed: it contains a NUL byte",
                error("read_file", "path", "a.txt\u0000.png"));
        assertEquals("path_not_allowed", code("read_file", "path", "x/".repeat(2100)));
        assertEquals(
                "path_not_allowed: path d/" + "y".repeat(300) + " is not allowed: a name is longer than 255 bytes",
                error("read_file", "path", "d/" + "y".repeat(300)));
        assertEquals("invalid_request: \"path\" is required and must be a string", error("read_file"));
        assertEquals("invalid_request: \"path\" is required and must be a string", error("stat", "path", 42));
        assertEquals("invalid_request: \"data_base64\" is required", error("write_file", "path", "n.txt"));
        assertEquals("invalid_request", code("write_file", "path", "n.txt", "data_base64", "!!not base64!!"));
    }

    @Test
    void messagesNameTheRequestNotTheHostPath() {
        String msg = error("read_file", "path", "link-out/secret.txt");
        assertEquals(
                "path_not_allowed: path link-out/secret.txt is not allowed: it resolves outside the workspace", msg);
        assertFalse(msg.contains(tmp.toString()));
    }

    @Test
    void writesThroughAnOutwardSymlinkReplaceTheLinkNotTheTarget() throws Exception {
        call("write_file", "path", "link-out-file", "data_base64", b64("mine"));
        assertFalse(Files.isSymbolicLink(root.resolve("link-out-file")));
        assertEquals("mine", Files.readString(root.resolve("link-out-file")));
        assertOutsideUntouched();
    }

    @Test
    void recursiveDeleteRemovesLinksNotTheirTargets() throws Exception {
        call("delete_path", "path", "dir", "recursive", true);
        assertFalse(Files.exists(root.resolve("dir"), LinkOption.NOFOLLOW_LINKS));
        assertOutsideUntouched();
        assertTrue(Files.exists(root.resolve("a.txt")));
    }

    @Test
    void readsInChunks() throws Exception {
        Frame f = call("read_file", "path", "a.txt", "offset", 6, "length", 3);
        assertEquals("wor", new String(Base64.getDecoder().decode(f.string("data_base64")), StandardCharsets.UTF_8));
        assertEquals(11L, f.number("size", -1));
        assertEquals(false, f.fields().get("eof"));
        Frame rest = call("read_file", "path", "./a.txt", "offset", 9);
        assertEquals("ld", new String(Base64.getDecoder().decode(rest.string("data_base64")), StandardCharsets.UTF_8));
        assertEquals(true, rest.fields().get("eof"));
        assertEquals("invalid_request", code("read_file", "path", "a.txt", "offset", -1));
    }

    @Test
    void absolutePathsInsideTheRootAreFine() throws Exception {
        Frame f = call("read_file", "path", root.resolve("link-in/b.txt").toString());
        assertArrayEquals(
                "b".getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(f.string("data_base64")));
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFiles() throws Exception {
        Frame w = call("write_file", "path", "new/deep/n.txt", "data_base64", b64("content"), "create_parents", true);
        assertEquals(7L, w.number("bytes_written", -1));
        assertEquals("content", Files.readString(root.resolve("new/deep/n.txt")));
        call("write_file", "path", "new/deep/n.txt", "data_base64", b64("v2"));
        assertEquals("v2", Files.readString(root.resolve("new/deep/n.txt")));
        try (var s = Files.list(root.resolve("new/deep"))) {
            assertEquals(
                    List.of("n.txt"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("path_not_found", code("write_file", "path", "missing/n.txt", "data_base64", b64("x")));
        assertEquals("not_a_file", code("write_file", "path", "dir", "data_base64", b64("x")));
    }

    @Test
    void listsSortedWithTypesAndHidesDotFilesUnlessAsked() throws Exception {
        Frame f = call("list_directory", "path", "");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries =
                (List<Map<String, Object>>) f.fields().get("entries");
        assertEquals(
                List.of("a.txt", "dangling", "dir", "link-in", "link-out", "link-out-file"),
                entries.stream().map(e -> e.get("name")).toList());
        assertEquals("file", entries.get(0).get("kind"));
        assertEquals("directory", entries.get(2).get("kind"));
        assertEquals("symlink", entries.get(3).get("kind"));
        Frame all = call("list_directory", "path", ".", "include_hidden", true);
        assertEquals(7, ((List<?>) all.fields().get("entries")).size());
        assertEquals("not_a_directory", code("list_directory", "path", "a.txt"));
    }

    @Test
    void statReportsMissingPathsWithoutAnError() throws Exception {
        assertEquals(false, call("stat", "path", "nope").fields().get("exists"));
        Frame s = call("stat", "path", "a.txt");
        assertEquals(true, s.fields().get("exists"));
        assertEquals("file", s.fields().get("kind"));
        assertEquals(11L, s.number("size", -1));
    }

    @Test
    void mkdirDeleteAndRenameFollowTheirFlags() throws Exception {
        call("create_directory", "path", "x/y");
        assertTrue(Files.isDirectory(root.resolve("x/y")));
        assertEquals("path_exists", code("create_directory", "path", "x/y", "create_parents", false));
        assertEquals("path_exists", code("create_directory", "path", "a.txt"));
        assertEquals(
                "directory_not_empty: directory not empty (pass \"recursive\": true): /x",
                error("delete_path", "path", "x"));
        call("delete_path", "path", "x/y");
        call("rename_path", "from", "a.txt", "to", "c.txt");
        assertEquals("hello world", Files.readString(root.resolve("c.txt")));
        Files.writeString(root.resolve("d.txt"), "d");
        assertEquals("path_exists", code("rename_path", "from", "c.txt", "to", "d.txt"));
        assertEquals("d", Files.readString(root.resolve("d.txt")));
        call("rename_path", "from", "c.txt", "to", "d.txt", "overwrite", true);
        assertEquals("hello world", Files.readString(root.resolve("d.txt")));
        assertEquals("path_not_allowed", code("rename_path", "from", "d.txt", "to", "../outside/stolen.txt"));
        assertEquals("path_not_allowed", code("rename_path", "from", "link-out-file", "to", "mine.txt"));
        assertEquals("path_not_allowed", code("rename_path", "from", "", "to", "elsewhere"));
        assertEquals("invalid_request", code("rename_path", "from", "d.txt"));
        assertOutsideUntouched();
    }

    private void assertOutsideUntouched() throws Exception {
        assertEquals("secret", Files.readString(outside.resolve("secret.txt")));
        try (var s = Files.list(outside)) {
            assertEquals(
                    List.of("secret.txt"),
                    s.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(Files.exists(tmp.resolve("ws")));
        try (var s = Files.list(tmp)) {
            assertEquals(
                    List.of("outside", "ws"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}

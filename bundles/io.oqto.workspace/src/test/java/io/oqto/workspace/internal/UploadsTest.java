package io.oqto.workspace.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.ConfinedWorkspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunked uploads: in order, atomic at the end, bounded in size, count and time, and nothing left behind. */
class UploadsTest {

    @TempDir
    Path root;

    private Instant now = Instant.parse("2026-12-02T10:00:00Z");
    private Uploads uploads;
    private FileOperations files;

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        ConfinedWorkspace guard = new ConfinedWorkspace(root);
        uploads = new Uploads(guard, 1 << 20, clock); // 1 MiB
        files = new FileOperations(guard, uploads);
    }

    private Frame call(String type, Object... kv) throws ProtocolException {
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return files.handle(new Frame("1", type, f));
    }

    private String begin(String path) throws ProtocolException {
        return (String) call("begin_upload", "path", path).fields().get("upload");
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> temporaries() throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().startsWith(".oqto-upload-"))
                    .toList();
        }
    }

    @Test
    void chunksInOrderBecomeTheFileAtOnceWhenFinished() throws Exception {
        Files.writeString(root.resolve("notes.txt"), "old");
        String id = begin("notes.txt");
        List<Path> temp = temporaries();
        assertEquals(1, temp.size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.get(0))));
        assertEquals(
                5L,
                call("upload_chunk", "upload", id, "offset", 0, "data_base64", b64("hello"))
                        .fields()
                        .get("bytes"));
        assertEquals("old", Files.readString(root.resolve("notes.txt")), "untouched until finished");
        call("upload_chunk", "upload", id, "offset", 5, "data_base64", b64(" world"));
        Frame done = call("finish_upload", "upload", id);
        assertEquals("file_written", done.type());
        assertEquals(11L, done.fields().get("bytes_written"));
        assertEquals("hello world", Files.readString(root.resolve("notes.txt")));
        assertEquals(List.of(), temporaries());
        assertEquals(
                "upload_not_found",
                assertThrows(ProtocolException.class, () -> call("finish_upload", "upload", id))
                        .code()
                        .wire());
    }

    @Test
    void aChunkOutOfOrderIsRefusedAndTheUploadGoesOn() throws Exception {
        String id = begin("f.bin");
        call("upload_chunk", "upload", id, "offset", 0, "data_base64", b64("abc"));
        ProtocolException e = assertThrows(
                ProtocolException.class,
                () -> call("upload_chunk", "upload", id, "offset", 0, "data_base64", b64("x")));
        assertEquals("chunks come in order: this one is at offset 0, the upload has 3 bytes", e.getMessage());
        call("upload_chunk", "upload", id, "offset", 3, "data_base64", b64("d"));
        call("finish_upload", "upload", id);
        assertArrayEquals("abcd".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(root.resolve("f.bin")));
    }

    @Test
    void tooLargeIsRefusedAtTheStartOrAtTheChunkThatPassesTheLimitAndNothingIsWritten() throws Exception {
        ProtocolException early = assertThrows(
                ProtocolException.class, () -> call("begin_upload", "path", "big.bin", "size", (2L << 20)));
        assertEquals("too_large", early.code().wire());
        assertEquals(
                "big.bin is larger than [workspace] max_upload_mb (1 MiB); nothing was written", early.getMessage());

        String id = begin("big.bin");
        String half = Base64.getEncoder().encodeToString(new byte[512 * 1024]);
        call("upload_chunk", "upload", id, "offset", 0, "data_base64", half);
        call("upload_chunk", "upload", id, "offset", 512 * 1024, "data_base64", half);
        ProtocolException late = assertThrows(
                ProtocolException.class,
                () -> call("upload_chunk", "upload", id, "offset", 1 << 20, "data_base64", b64("1")));
        assertEquals("too_large", late.code().wire());
        assertEquals(List.of(), temporaries(), "the upload was dropped");
        assertEquals(false, Files.exists(root.resolve("big.bin")));
    }

    @Test
    void abortedAbandonedAndStoppedUploadsLeaveNothing() throws Exception {
        String aborted = begin("a.txt");
        assertEquals("upload_aborted", call("abort_upload", "upload", aborted).type());
        String abandoned = begin("b.txt");
        now = now.plus(Duration.ofMinutes(11));
        begin("c.txt"); // sweeps the abandoned one
        assertEquals(
                "upload_not_found",
                assertThrows(
                                ProtocolException.class,
                                () -> call("upload_chunk", "upload", abandoned, "offset", 0, "data_base64", b64("x")))
                        .code()
                        .wire());
        assertEquals(1, temporaries().size());
        uploads.close();
        assertEquals(List.of(), temporaries());
        assertEquals(0, uploads.openCount());
    }

    @Test
    void anUploadIsConfinedToTheWorkspaceAndAtMostSixteenAreOpen() throws Exception {
        assertEquals(
                "path_not_allowed",
                assertThrows(ProtocolException.class, () -> begin("../outside.txt"))
                        .code()
                        .wire());
        Files.createDirectory(root.resolve("d"));
        assertEquals(
                "not_a_file",
                assertThrows(ProtocolException.class, () -> begin("d")).code().wire());
        for (int i = 0; i < Uploads.MAX_OPEN; i++) {
            begin("f" + i);
        }
        assertEquals(
                "busy",
                assertThrows(ProtocolException.class, () -> begin("one-more"))
                        .code()
                        .wire());
    }
}

package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Workspace files over REST with a real user's runner: uploads of any size up to [workspace] max_upload_mb streamed
 * in chunks (protocol 1.7) and read back byte for byte, one over the limit refused with nothing written, new
 * directories and renames. The tests build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkspaceFilesSystemIT {

    private MultiUserDeployment d;
    private String alice;
    private String token;
    private byte[] fiveMiB;

    @BeforeAll
    void start() throws Exception {
        d = new MultiUserDeployment(List.of("[workspace]", "max_upload_mb = 8"));
        alice = "f" + d.tag;
        token = d.provision(alice);
        fiveMiB = new byte[5 << 20];
        new Random(42).nextBytes(fiveMiB);
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    private Path workspace() {
        return Path.of("/home/oqto_" + alice + "/oqto");
    }

    private HttpResponse<String> put(String path, HttpRequest.BodyPublisher body) throws Exception {
        return d.http.send(
                HttpRequest.newBuilder(URI.create(d.api.url("/api/v1/users/me/files/" + path)))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofMinutes(2))
                        .PUT(body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<String> leftovers() throws Exception {
        try (Stream<Path> all = Files.walk(workspace())) {
            return all.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".oqto-upload-"))
                    .toList();
        }
    }

    @Test
    @Order(1)
    void aFiveMebibyteUploadIsStreamedAndReadBackByteForByte() throws Exception {
        HttpResponse<String> r = put("uploads/big.bin?parents=true", HttpRequest.BodyPublishers.ofByteArray(fiveMiB));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"bytes_written\":" + fiveMiB.length), r.body());
        assertEquals(
                "oqto_" + alice, Commands.ownerOf(workspace().resolve("uploads/big.bin")), "written by her runner");

        HttpResponse<byte[]> back = d.http.send(
                HttpRequest.newBuilder(URI.create(d.api.url("/api/v1/users/me/files/uploads/big.bin")))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, back.statusCode());
        assertArrayEquals(fiveMiB, back.body());
        assertEquals(List.of(), leftovers());
    }

    @Test
    @Order(2)
    void anUploadOverTheLimitIsRefusedAndLeavesTheFileAsItWas() throws Exception {
        byte[] nine = new byte[9 << 20];
        HttpResponse<String> known = put("uploads/big.bin", HttpRequest.BodyPublishers.ofByteArray(nine));
        assertEquals(413, known.statusCode(), known.body());
        assertTrue(known.body().contains("\"code\":\"payload_too_large\""), known.body());
        assertTrue(
                known.body().contains("uploads/big.bin is larger than [workspace] max_upload_mb (8 MiB)"),
                known.body());
        // Without a length (chunked): refused at the chunk that passes the limit.
        HttpResponse<String> streamed = put(
                "uploads/big.bin",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(nine)));
        assertEquals(413, streamed.statusCode(), streamed.body());
        assertArrayEquals(fiveMiB, Files.readAllBytes(workspace().resolve("uploads/big.bin")), "unchanged");
        assertEquals(List.of(), leftovers());
    }

    @Test
    @Order(3)
    void directoriesAreMadeAndFilesRenamedWithExactRefusals() throws Exception {
        HttpResponse<String> made = d.send("POST", "/api/v1/users/me/directories", "{\"path\":\"notes/2026\"}", token);
        assertEquals(201, made.statusCode(), made.body());
        assertTrue(Files.isDirectory(workspace().resolve("notes/2026")));
        HttpResponse<String> renamed = d.send(
                "POST",
                "/api/v1/users/me/renames",
                "{\"from\":\"uploads/big.bin\",\"to\":\"notes/2026/big.bin\"}",
                token);
        assertEquals(200, renamed.statusCode(), renamed.body());
        assertFalse(Files.exists(workspace().resolve("uploads/big.bin")));
        assertArrayEquals(fiveMiB, Files.readAllBytes(workspace().resolve("notes/2026/big.bin")));

        Files.writeString(workspace().resolve("notes/keep.txt"), "keep");
        HttpResponse<String> exists = d.send(
                "POST",
                "/api/v1/users/me/renames",
                "{\"from\":\"notes/2026/big.bin\",\"to\":\"notes/keep.txt\"}",
                token);
        assertEquals(409, exists.statusCode(), exists.body());
        assertTrue(
                exists.body().contains("already exists (pass \\\"overwrite\\\": true): notes/keep.txt"), exists.body());
        assertEquals("keep", Files.readString(workspace().resolve("notes/keep.txt")));
        HttpResponse<String> outside =
                d.send("POST", "/api/v1/users/me/renames", "{\"from\":\"notes/keep.txt\",\"to\":\"../x\"}", token);
        assertEquals(403, outside.statusCode(), outside.body());
        HttpResponse<String> noPath = d.send("POST", "/api/v1/users/me/directories", "{}", token);
        assertEquals(400, noPath.statusCode());
        assertTrue(noPath.body().contains("\\\"path\\\" is required"), noPath.body());
        HttpResponse<String> unknown =
                d.send("POST", "/api/v1/users/me/directories", "{\"path\":\"a\",\"mode\":1}", token);
        assertEquals(400, unknown.statusCode(), unknown.body());
    }
}

package io.oqto.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.api.audit.AuditContext;
import io.oqto.api.audit.AuditEvent;
import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The audit log's lines, file and journal entries. */
class AuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static AuditEvent event(String actor, String target) {
        return new AuditEvent(
                Instant.parse("2026-12-02T10:00:00Z"),
                actor,
                "user",
                "POST /api/v1/users/{user}/tokens",
                target,
                "ok",
                "201",
                "req-1",
                "127.0.0.1");
    }

    @Test
    void aLineIsOneJsonObjectWithEveryFieldInOrder() {
        assertEquals(
                "{\"time\":\"2026-12-02T10:00:00Z\",\"actor\":\"alice\",\"role\":\"user\","
                        + "\"action\":\"POST /api/v1/users/{user}/tokens\",\"target\":\"/api/v1/users/alice/tokens\","
                        + "\"result\":\"ok\",\"detail\":\"201\",\"request_id\":\"req-1\",\"source\":\"127.0.0.1\"}",
                AuditLines.line(event("alice", "/api/v1/users/alice/tokens")));
    }

    @Test
    void inputCannotForgeALineOrAField() throws IOException {
        List<String> hostile = List.of(
                "eve\n{\"time\":\"2026-01-01T00:00:00Z\",\"actor\":\"root\"}",
                "eve\",\"actor\":\"root",
                "eve\\\",\"role\":\"admin",
                "eve\r\u2028\u0000\u001b[2J");
        for (String name : hostile) {
            String line = AuditLines.line(event(name, name));
            assertFalse(line.contains("\n") || line.contains("\r"), "one line: " + line);
            JsonNode parsed = JSON.readTree(line);
            assertEquals(name, parsed.path("actor").asText(), "the name, exactly");
            assertEquals(name, parsed.path("target").asText());
            assertEquals("user", parsed.path("role").asText(), "no field overwritten");
            assertEquals(9, parsed.size(), "no field added");
        }
    }

    @Test
    void theFileIsPrivateAndRotatesKeepingTheNewest() throws IOException {
        Path file = dir.resolve("log/audit.log");
        AuditFile audit = new AuditFile(file, 1000, 2);
        for (int i = 0; i < 30; i++) {
            audit.append(AuditLines.line(event("user" + i, "t")));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(Files.size(file) <= 1000, "rotated before it grows past its size: " + Files.size(file));
        assertTrue(Files.exists(audit.rotated(1)) && Files.exists(audit.rotated(2)));
        assertFalse(Files.exists(audit.rotated(3)), "two kept");
        List<String> newest = Files.readAllLines(file);
        assertTrue(newest.get(newest.size() - 1).contains("\"actor\":\"user29\""), newest.toString());
        List<String> older = Files.readAllLines(audit.rotated(1));
        int lastOlder = Integer.parseInt(JSON.readTree(older.get(older.size() - 1))
                .path("actor")
                .asText()
                .substring(4));
        int firstNewest = Integer.parseInt(
                JSON.readTree(newest.get(0)).path("actor").asText().substring(4));
        assertEquals(lastOlder + 1, firstNewest, "no line lost at the rotation");
    }

    @Test
    void theJournalGetsTheLineAsItsMessage() throws Exception {
        Path socket = dir.resolve("journal.sock");
        try (AFUNIXDatagramSocket journald = AFUNIXDatagramSocket.newInstance();
                Journal journal = new Journal(socket)) {
            journald.bind(AFUNIXSocketAddress.of(socket));
            journald.setSoTimeout(10_000);
            String line = AuditLines.line(event("eve\nroot", "t"));
            journal.send(line, true);
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            journald.receive(p);
            assertEquals(
                    "MESSAGE=" + line + "\nSYSLOG_IDENTIFIER=oqto-audit\nPRIORITY=4\n",
                    new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void eventsMadeDuringARequestCarryItsActorAndId() {
        AuditEvent outside = AuditEvent.now("provision record", "alice", "ok", "");
        assertEquals("system", outside.actor());
        try (AuditContext.Scope scope = AuditContext.enter(new AuditContext.Who("ops", "admin", "req-7", "10.0.0.1"))) {
            AuditEvent inside = AuditEvent.now("provision record", "alice", "ok", "");
            assertEquals(
                    List.of("ops", "admin", "req-7", "10.0.0.1"),
                    List.of(inside.actor(), inside.role(), inside.requestId(), inside.source()));
        }
        assertEquals(null, AuditContext.current(), "the scope ends with the request");
    }
}

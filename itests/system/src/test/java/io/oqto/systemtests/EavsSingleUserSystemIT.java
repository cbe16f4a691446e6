package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.eavs.FakeEavs;
import io.oqto.testing.llm.FakeLlm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every agent-session test again, with the runner in single-user mode reaching the LLM through eavs: no provider in
 * {@code [agent]}, only {@code [eavs]} with the master key in a file of the user's; the runner issues its own key
 * (owner: its user) on the first session and pi's models come from eavs.
 */
class EavsSingleUserSystemIT extends AgentSessionSystemIT {

    private static final String MASTER = "single-user-master-" + Long.toString(System.nanoTime(), 36);
    private FakeEavs eavs;

    @Override
    String llmConfig(Path keyFile) throws Exception {
        eavs = FakeEavs.inFrontOf(llm.baseUrl(), FakeLlm.MODEL, MASTER);
        Path master = Files.writeString(home.resolve(".config/oqto/eavs-master"), MASTER + "\n");
        Commands.runOk(List.of("chown", linux, master.toString()));
        Files.setPosixFilePermissions(master, PosixFilePermissions.fromString("rw-------"));
        return "[eavs]\nbase_url = \"" + eavs.baseUrl() + "\"\nmaster_key = \"file:" + master + "\"";
    }

    /** pi's models are written from eavs first. */
    @Override
    String expectedModels() {
        return "{\"models\":[{\"provider\":\"eavs-fake\",\"id\":\"" + FakeLlm.MODEL + "\",\"name\":\"" + FakeLlm.MODEL
                + "\",\"reasoning\":false}],\"source\":\"eavs\"}";
    }

    @Override
    List<String> startStages() {
        return List.of("eavs", "spawning", "sandbox_ready", "agent_ready");
    }

    @Override
    String provider() {
        return "eavs-fake";
    }

    /** The LLM saw the request through eavs, which checked the runner's own key and counted it. */
    @Override
    void checkTheKeyReachedTheProvider() {
        String keys = admin("/admin/keys");
        assertTrue(keys.contains("\"owner\":\"" + linux + "\""), keys);
        String usage = admin("/admin/usage/by-owner?owner=" + linux + "&days=1");
        assertTrue(
                usage.matches("(?s).*\"owner\":\"" + linux + "\",\"requests\":[1-9].*"),
                "eavs counted the runner's requests: " + usage);
    }

    private String admin(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(eavs.baseUrl() + path))
                                    .header("Authorization", "Bearer " + MASTER)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return r.body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theRunnersOwnKeyIsKeptWhereOnlyItsUserCanReadIt() throws Exception {
        try (SseClient sse = ready("keyfile")) {
            Path key = home.resolve(".config/oqto/eavs.key");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertEquals(linux, Commands.ownerOf(key));
            String hash = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readString(key).strip().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            String keys = admin("/admin/keys");
            assertEquals(1, keys.split("\"key_id\"", -1).length - 1, "one key, issued once: " + keys);
            assertTrue(keys.contains("\"key_hash\":\"" + hash + "\""), keys);
        }
    }

    @AfterAll
    void stopEavs() {
        if (eavs != null) {
            eavs.close();
        }
    }
}

package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.llm.FakeLlm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Agent sessions end to end: the control plane (multi-user) routes to a runner running as a real Linux
 * user, which runs the real pi (installed by the test command) sandboxed by that user's policy against the
 * scripted fake LLM; the test speaks REST and SSE only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentSessionSystemIT {

    private static final Duration WAIT = Duration.ofMinutes(1);

    Path work;
    Path home;
    private Distribution runnerDist;
    private Distribution controlPlane;
    FakeLlm llm;
    private String user;
    String linux;
    private int port;
    private String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    void start() throws Exception {
        assertEquals(
                "0",
                Commands.runOk(List.of("id", "-u")).output().strip(),
                "the system tests need root; they do not skip");
        Path pi =
                Path.of("../../.tools/pi/node_modules/.bin/pi").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(pi), "pi is installed by scripts/install-test-deps at " + pi);
        llm = new FakeLlm(0);
        work = Files.createTempDirectory(Path.of("/tmp"), "oqto-ag-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        runnerDist = Distribution.unpack("oqto.runner.tarball", work.resolve("runner"));
        controlPlane = Distribution.unpack("oqto.controlPlane.tarball", work.resolve("cp"));
        user = "g" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        linux = "oqto_" + user;
        Commands.createUser(linux);

        // The user's home: their sandbox policy and a secret the agent must not read.
        home = Files.createDirectories(work.resolve("home"));
        Files.createDirectories(home.resolve(".config/oqto"));
        Files.writeString(home.resolve(".config/oqto/sandbox.toml"), "enabled = true\nprofile = \"development\"\n");
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_rsa"), "SECRET-KEY-MATERIAL\n");
        Path runtime = Files.createDirectories(work.resolve("rt"));
        Path sockets = Files.createDirectories(work.resolve("sockets").resolve(linux));
        Commands.runOk(List.of("chown", "-R", linux, home.toString(), runtime.toString(), sockets.toString()));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(sockets, PosixFilePermissions.fromString("rwx------"));

        // The provider key by reference, readable by the user alone: config.toml (0644) holds no secret.
        Path keyFile = Files.writeString(home.resolve(".config/oqto/fake.key"), "test-key\n");
        Commands.runOk(List.of("chown", linux, keyFile.toString()));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        port = Commands.freePort();
        Path config = Files.writeString(
                work.resolve("config.toml"),
                String.join(
                        "\n",
                        "[server]",
                        "port = " + port,
                        "state_dir = \"" + work.resolve("state") + "\"",
                        "[routing]",
                        "socket_pattern = \"" + work.resolve("sockets") + "/{user}/oqto-runner.sock\"",
                        "request_timeout_ms = 5000",
                        "[programs]",
                        "pi = \"" + pi + "\"",
                        llmConfig(keyFile),
                        ""));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> runnerEnv = new HashMap<>(Map.of(
                "HOME",
                home.toString(),
                "OQTO_CONFIG",
                config.toString(),
                "OQTO_MODE",
                "single-user",
                "JAVA_HOME",
                System.getProperty("java.home"),
                "XDG_RUNTIME_DIR",
                runtime.toString(),
                "OQTO_RUNNER_BASE",
                home.resolve(".local/state/oqto/runner").toString(),
                "OQTO_WORKSPACE__ROOT",
                home.resolve("oqto").toString(),
                "PATH",
                "/usr/local/bin:/usr/bin:/bin"));
        Path runnerLog = work.resolve("runner.log");
        Process runner = runnerDist.startAs(
                linux,
                "oqto-runner",
                List.of("--socket", sockets.resolve("oqto-runner.sock").toString()),
                runnerEnv,
                runnerLog);
        Commands.waitForRunner(runner, linux, runnerLog, WAIT);

        Path cpLog = work.resolve("cp.log");
        controlPlane.start(
                "oqto",
                List.of(),
                Map.of(
                        "HOME",
                        Files.createDirectories(work.resolve("cphome")).toString(),
                        "OQTO_CONFIG",
                        config.toString(),
                        "OQTO_MODE",
                        "multi-user",
                        "JAVA_HOME",
                        System.getProperty("java.home")),
                cpLog);
        Commands.waitFor("control plane health", Duration.ofSeconds(90), () -> status("/api/health") == 200, cpLog);
        token = Commands.printedToken(Commands.run(
                List.of(controlPlane.home.resolve("bin/oqto-shell").toString(), "oqto:token-create " + user),
                Duration.ofSeconds(90)));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            Distribution.stopAll(controlPlane, runnerDist);
            if (llm != null) {
                llm.close();
            }
        } finally {
            Commands.removeUsersAndTree(List.of(linux), work);
        }
    }

    /** How pi reaches the LLM: here a provider of {@code [agent]} with its key by reference (a file of the user's). */
    String llmConfig(Path keyFile) throws Exception {
        return "[agent]\nproviders = [\"fake openai-completions " + llm.baseUrl() + " file:" + keyFile + " "
                + FakeLlm.MODEL + "\"]";
    }

    /** The stages a session starts in. */
    /** What GET …/models answers with this deployment's providers. */
    String expectedModels() {
        return "{\"models\":[{\"provider\":\"fake\",\"id\":\"" + FakeLlm.MODEL
                + "\",\"name\":null,\"reasoning\":false}],\"source\":\"agent.providers\"}";
    }

    List<String> startStages() {
        return List.of("spawning", "sandbox_ready", "agent_ready");
    }

    /** pi's name of that provider. */
    String provider() {
        return "fake";
    }

    void checkTheKeyReachedTheProvider() {
        assertEquals(
                "Bearer test-key",
                llm.requests().get(llm.requests().size() - 1).authorization(),
                "the key from the file: reference reached the provider");
    }

    private int status(String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private HttpResponse<String> call(String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/users/me" + path))
                        .timeout(Duration.ofMinutes(1))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private SseClient events(String session, String lastEventId) throws Exception {
        SseClient sse = new SseClient(
                http,
                "http://127.0.0.1:" + port + "/api/v1/users/me/sessions/" + session + "/events",
                token,
                lastEventId);
        assertEquals(200, sse.status);
        return sse;
    }

    /** Creates a session and waits for its agent_ready stage; returns its event stream. */
    SseClient ready(String session) throws Exception {
        HttpResponse<String> created = call(
                "POST",
                "/sessions",
                "{\"session\":\"" + session + "\",\"provider\":\"" + provider() + "\",\"model\":\"" + FakeLlm.MODEL
                        + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        SseClient sse = events(session, null);
        sse.await(
                e -> e.name().equals("session.starting") && e.data().contains("\"stage\":\"agent_ready\""),
                "agent ready",
                WAIT);
        sse.await(e -> e.name().equals("session.state") && e.data().contains("\"state\":\"idle\""), "idle", WAIT);
        return sse;
    }

    private static String text(SseClient sse) {
        return text(sse.events);
    }

    /** The text deltas' concatenation. */
    private static String text(List<SseClient.Event> events) {
        return events.stream()
                .filter(e -> e.name().equals("message.delta") && e.data().contains("\"kind\":\"text\""))
                .map(e -> e.data().replaceAll(".*\"delta\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1"))
                .collect(Collectors.joining());
    }

    @Test
    void theModelsOnOfferAreTheConfiguredProvidersOnes() throws Exception {
        HttpResponse<String> models = call("GET", "/models", null);
        assertEquals(200, models.statusCode(), models.body());
        assertEquals(expectedModels(), models.body());
    }

    @Test
    void aPromptStreamsItsReplyInOrderAndAToolRunsSandboxedAsTheUser() throws Exception {
        try (SseClient sse = ready("chat")) {
            List<String> stages = sse.events.stream()
                    .filter(e -> e.name().equals("session.starting"))
                    .map(e -> e.data().replaceAll(".*\"stage\":\"([a-z_]+)\".*", "$1"))
                    .toList();
            assertEquals(startStages(), stages);
            assertTrue(
                    sse.events.stream()
                            .anyMatch(e -> e.name().equals("session.starting")
                                    && e.data().contains("bwrap")),
                    "pi runs in bubblewrap");
            assertEquals(
                    200,
                    call("POST", "/sessions/chat/prompt", "{\"message\":\"hello\"}")
                            .statusCode());
            sse.await(SseClient.named("agent.idle"), "end of the run", WAIT);
            assertEquals("You said: hello", text(sse));
            checkTheKeyReachedTheProvider();
            HttpResponse<String> messages = call("GET", "/sessions/chat/messages", null);
            assertEquals(200, messages.statusCode());
            assertTrue(
                    messages.body().contains("You said: hello")
                            && messages.body().contains("\"command\":\"get_messages\""),
                    messages.body());
            HttpResponse<String> state = call("GET", "/sessions/chat/state", null);
            assertTrue(state.statusCode() == 200 && state.body().contains("\"sessionId\""), state.body());
            HttpResponse<String> model = call(
                    "PUT",
                    "/sessions/chat/model",
                    "{\"provider\":\"" + provider() + "\",\"model_id\":\"" + FakeLlm.MODEL + "\"}");
            assertTrue(
                    model.statusCode() == 200 && model.body().contains("\"id\":\"" + FakeLlm.MODEL + "\""),
                    model.body());
            HttpResponse<String> unknown =
                    call("PUT", "/sessions/chat/model", "{\"provider\":\"nope\",\"model_id\":\"x\"}");
            assertEquals(422, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("\"code\":\"agent_error\""), unknown.body());
            List<Long> ids = sse.events.stream()
                    .filter(e -> e.id() != null)
                    .map(e -> Long.parseLong(e.id()))
                    .toList();
            for (int i = 1; i < ids.size(); i++) {
                assertEquals(ids.get(i - 1) + 1, ids.get(i), "consecutive ids");
            }

            sse.await(
                    e -> e.name().equals("session.state")
                            && e.data().contains("\"state\":\"idle\"")
                            && e.data().contains("\"previous\":\"streaming\""),
                    "idle after the run",
                    WAIT);
            assertEquals(
                    200,
                    call("POST", "/sessions/chat/prompt", "{\"message\":\"run: id -un; cat ~/.ssh/id_rsa\"}")
                            .statusCode());
            SseClient.Event tool = sse.await(SseClient.named("tool.end"), "the tool's end", WAIT);
            assertTrue(tool.data().contains(linux), "runs as the user: " + tool.data());
            assertFalse(tool.data().contains("SECRET-KEY-MATERIAL"), "~/.ssh is hidden by the sandbox: " + tool.data());
            assertTrue(tool.data().contains("No such file"), tool.data());
        }
    }

    @Test
    void abortLeavesTheSessionIdleAndUsable() throws Exception {
        try (SseClient sse = ready("abort")) {
            assertEquals(
                    200,
                    call("POST", "/sessions/abort/prompt", "{\"message\":\"slow\"}")
                            .statusCode());
            sse.await(SseClient.named("message.delta"), "the first delta", WAIT);
            HttpResponse<String> again = call("POST", "/sessions/abort/prompt", "{\"message\":\"again\"}");
            assertEquals(409, again.statusCode(), again.body());
            assertTrue(again.body().contains("\"code\":\"invalid_state\""), again.body());
            assertEquals(200, call("POST", "/sessions/abort/abort", null).statusCode());
            sse.await(SseClient.named("agent.idle"), "the aborted run's end", WAIT);
            assertTrue(
                    text(sse).length() < 1000,
                    "stopped mid-stream: " + text(sse).length());
            long before = sse.events.size();
            SseClient.Event idle = sse.await(
                    e -> e.name().equals("session.state")
                            && e.data().contains("\"state\":\"idle\"")
                            && e.data().contains("\"previous\":\"aborting\""),
                    "idle",
                    WAIT);
            assertTrue(idle.id() != null);
            assertEquals(
                    200,
                    call("POST", "/sessions/abort/prompt", "{\"message\":\"after\"}")
                            .statusCode());
            sse.await(e -> text(sse).endsWith("You said: after"), "a reply after the abort", WAIT);
            assertTrue(sse.events.size() > before);
        }
    }

    @Test
    void killingPiMidTurnGivesAnErrorEventAndTheSessionRestarts() throws Exception {
        try (SseClient sse = ready("crash")) {
            String info = call("GET", "/sessions/crash", null).body();
            long pid = Long.parseLong(info.replaceAll(".*\"pid\":(\\d+).*", "$1"));
            assertEquals(
                    200,
                    call("POST", "/sessions/crash/prompt", "{\"message\":\"slow\"}")
                            .statusCode());
            sse.await(SseClient.named("message.delta"), "mid-turn", WAIT);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            SseClient.Event err = sse.await(SseClient.named("session.error"), "the error event", WAIT);
            assertTrue(err.data().contains("pi exited unexpectedly"), err.data());
            sse.await(
                    e -> e.name().equals("session.state") && e.data().contains("\"reason\":\"crashed\""),
                    "stopped: crashed",
                    WAIT);
            assertTrue(call("GET", "/sessions/crash", null).body().contains("\"stop_reason\":\"crashed\""));
            assertEquals(200, call("POST", "/sessions/crash/restart", null).statusCode());
            long idles = sse.events.stream()
                    .filter(e -> e.name().equals("session.state") && e.data().contains("\"state\":\"idle\""))
                    .count();
            sse.await(
                    e -> sse.events.stream()
                                    .filter(x -> x.name().equals("session.state")
                                            && x.data().contains("\"state\":\"idle\""))
                                    .count()
                            > idles,
                    "idle again",
                    WAIT);
            assertEquals(
                    200,
                    call("POST", "/sessions/crash/prompt", "{\"message\":\"back\"}")
                            .statusCode());
            sse.await(e -> text(sse).endsWith("You said: back"), "a reply after the restart", WAIT);
        }
    }

    @Test
    void reconnectingWithLastEventIdLosesNothing() throws Exception {
        List<SseClient.Event> before;
        try (SseClient first = ready("resume")) {
            // A slow reply (a chunk every 50 ms), so the client leaves mid-stream.
            assertEquals(
                    200,
                    call("POST", "/sessions/resume/prompt", "{\"message\":\"slow\"}")
                            .statusCode());
            first.await(SseClient.named("message.delta"), "a first delta", WAIT);
            before = List.copyOf(first.events);
        }
        String lastSeen = before.get(before.size() - 1).id();
        try (SseClient second = events("resume", lastSeen)) {
            second.await(
                    e -> second.events.stream()
                                    .filter(SseClient.named("message.delta"))
                                    .count()
                            >= 5,
                    "more deltas",
                    WAIT);
            assertEquals(200, call("POST", "/sessions/resume/abort", null).statusCode());
            second.await(SseClient.named("agent.idle"), "the end of the run", WAIT);
            assertEquals(
                    Long.parseLong(lastSeen) + 1,
                    Long.parseLong(second.events.get(0).id()),
                    "resumes right after the last id");
            List<SseClient.Event> all = new ArrayList<>(before);
            all.addAll(second.events);
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, Long.parseLong(all.get(i).id()), "every event exactly once across the reconnect");
            }
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                expected.append("tick ").append(i).append(' ');
            }
            String got = text(all);
            assertTrue(
                    got.length() > text(before).length() && expected.toString().startsWith(got),
                    "the deltas before and after the reconnect join up without loss or repetition: " + got);
        }
    }

    @Test
    void twoSessionsInParallelDoNotMixEvents() throws Exception {
        try (SseClient a = ready("alpha");
                SseClient b = ready("beta")) {
            Thread ta = new Thread(() -> post("/sessions/alpha/prompt", "{\"message\":\"from alpha\"}"));
            Thread tb = new Thread(() -> post("/sessions/beta/prompt", "{\"message\":\"from beta\"}"));
            ta.start();
            tb.start();
            ta.join();
            tb.join();
            a.await(SseClient.named("agent.idle"), "alpha's end", WAIT);
            b.await(SseClient.named("agent.idle"), "beta's end", WAIT);
            assertEquals("You said: from alpha", text(a));
            assertEquals("You said: from beta", text(b));
            String list = call("GET", "/sessions", null).body();
            assertTrue(list.contains("\"id\":\"alpha\"") && list.contains("\"id\":\"beta\""), list);
            String shell = controlPlane.home.resolve("bin/oqto-shell").toString();
            Commands.Result listed = Commands.run(List.of(shell, "oqto:session-list " + user), Duration.ofSeconds(90));
            assertTrue(
                    listed.output().contains("alpha")
                            && listed.output().contains("beta")
                            && listed.output().contains("idle"),
                    listed.output());
            Commands.Result stopped =
                    Commands.run(List.of(shell, "oqto:session-stop " + user + " beta"), Duration.ofSeconds(90));
            assertTrue(
                    stopped.output().contains("session beta of " + user + " is stopped (stopped)"), stopped.output());
            b.await(
                    e -> e.name().equals("session.state") && e.data().contains("\"reason\":\"stopped\""),
                    "beta stopped",
                    WAIT);
        }
    }

    private void post(String path, String body) {
        try {
            assertEquals(200, call("POST", path, body).statusCode());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

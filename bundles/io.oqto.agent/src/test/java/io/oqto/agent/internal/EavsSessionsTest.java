package io.oqto.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.agent.internal.AgentSessionsTest.Recorder;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.ConfinedWorkspace;
import io.oqto.runner.spi.FeedRecorder;
import io.oqto.runner.spi.eavs.EavsAccess;
import io.oqto.runner.spi.eavs.EavsAccessException;
import io.oqto.runner.spi.eavs.EavsAccessException.Reason;
import io.oqto.testing.eavs.FakeEavs;
import io.oqto.testing.llm.FakeLlm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions whose models come from eavs: the real pi through the eavs double to the fake LLM. The connector is a
 * stand-in that writes models.json the way io.oqto.eavs does (that bundle's own tests cover how it gets there);
 * what is tested here is the session's eavs stage, its failures, and eavs's refusals reaching the client.
 */
class EavsSessionsTest {

    private static final String MASTER = "master-key";
    private final ObjectMapper json = new ObjectMapper();
    private final List<FeedRecorder> recorders = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    private FakeLlm llm;
    private FakeEavs eavs;
    private DirectLauncher launcher;
    private @Nullable AgentSessions sessions;

    @BeforeEach
    void setUp() throws Exception {
        llm = new FakeLlm(0);
        eavs = FakeEavs.inFrontOf(llm.baseUrl(), FakeLlm.MODEL, MASTER);
        Files.createDirectories(dir.resolve("ws"));
        launcher = new DirectLauncher(dir.resolve("ws"), dir.resolve("agent"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (FeedRecorder r : recorders) {
            r.close();
        }
        if (sessions != null) {
            sessions.deactivate();
        }
        launcher.killAll();
        eavs.close();
        llm.close();
    }

    /** A key at the double, owned by alice, with this budget; its id and secret. */
    private JsonNode issue(double budget) throws Exception {
        String body = "{\"owner\":\"alice\",\"permissions\":{\"max_budget_usd\":" + budget + "}}";
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(eavs.baseUrl() + "/admin/keys"))
                                .header("Authorization", "Bearer " + MASTER)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    /** The connector's part: models.json for eavs's one provider with the key, or eavs's failure. */
    private EavsAccess connector(String key, @Nullable EavsAccessException failure) {
        return new EavsAccess() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void checkChoice(@Nullable String provider, @Nullable String model) throws EavsAccessException {
                if (provider != null && !provider.equals("eavs-fake")) {
                    throw new EavsAccessException(
                            Reason.UNKNOWN_CHOICE, "provider " + provider + " is not one eavs offers (eavs-fake)");
                }
            }

            @Override
            public List<String> writePiModels(Path agentDir) throws EavsAccessException {
                if (failure != null) {
                    throw failure;
                }
                try {
                    PiModels.write(
                            agentDir,
                            Map.of(
                                    "providers",
                                    Map.of(
                                            "eavs-fake",
                                            Map.of(
                                                    "baseUrl",
                                                    eavs.baseUrl() + "/fake/v1",
                                                    "api",
                                                    "openai-completions",
                                                    "apiKey",
                                                    key,
                                                    "models",
                                                    List.of(Map.of(
                                                            "id",
                                                            FakeLlm.MODEL,
                                                            "cost",
                                                            Map.of(
                                                                    "input", 1000,
                                                                    "output", 2000,
                                                                    "cacheRead", 0,
                                                                    "cacheWrite", 0)))))));
                } catch (java.io.IOException e) {
                    throw new EavsAccessException(Reason.IO, e.getMessage());
                }
                return List.of("eavs-fake");
            }
        };
    }

    private AgentSessions sessions(EavsAccess connector) throws Exception {
        return sessions(connector, new String[0]);
    }

    private AgentSessions sessions(EavsAccess connector, String[] providers) throws Exception {
        AgentSessionsTest.TestAgentConfig config =
                new AgentSessionsTest.TestAgentConfig(30_000, 60_000, 600_000, 5000, 4, providers, false);
        sessions = new AgentSessions(
                launcher, new ConfinedWorkspace(dir.resolve("ws")), config, dir.resolve("agent"), true, connector);
        return sessions;
    }

    private Recorder started(AgentSessions s, String id) throws Exception {
        Recorder r = new Recorder();
        s.handle(Frame.of("1", "create_session")
                .with("session", id)
                .with("provider", "eavs-fake")
                .with("model", FakeLlm.MODEL));
        FeedRecorder feed =
                new FeedRecorder(s.subscribe(Frame.of("2", "subscribe_session").with("session", id)));
        recorders.add(feed);
        r.feeds.add(feed);
        return r;
    }

    private void prompt(AgentSessions s, String id, String message) throws Exception {
        s.handle(Frame.of("3", "session_command")
                .with("session", id)
                .with("command", "set_auto_retry")
                .with("enabled", false));
        s.handle(Frame.of("4", "session_command")
                .with("session", id)
                .with("command", "prompt")
                .with("message", message));
    }

    @Test
    void piAnswersThroughEavsWithTheUsersKeyAndEavsCountsIt() throws Exception {
        JsonNode key = issue(10);
        AgentSessions s = sessions(connector(key.get("key").asText(), null));
        Recorder r = started(s, "e1");
        r.await(AgentSessionsTest.state("idle"), "idle");
        List<String> stages = r.events().stream()
                .filter(AgentSessionsTest.type("session.starting"))
                .map(e -> (String) ((Map<?, ?>) e.get("data")).get("stage"))
                .toList();
        assertEquals(List.of("eavs", "spawning", "sandbox_ready", "agent_ready"), stages);
        prompt(s, "e1", "hello");
        r.await(AgentSessionsTest.type("agent.idle"), "the end of the run");
        HttpResponse<String> usage = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(eavs.baseUrl() + "/admin/keys/"
                                        + key.get("key_id").asText() + "/usage"))
                                .header("Authorization", "Bearer " + MASTER)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode records = json.readTree(usage.body());
        assertEquals(1, records.size(), usage.body());
        assertEquals(FakeLlm.MODEL, records.get(0).get("model").asText());
        assertTrue(records.get(0).get("cost_usd").asDouble() > 0, usage.body());
        Map<?, ?> cost =
                (Map<?, ?>) ((Map<?, ?>) s.handle(Frame.of("i", "session_info").with("session", "e1"))
                                .fields()
                                .get("session"))
                        .get("cost");
        assertEquals(List.of(1L, 12L), List.of(cost.get("messages"), cost.get("input_tokens")), cost.toString());
        assertEquals(
                records.get(0).get("cost_usd").asDouble(),
                ((Number) cost.get("usd")).doubleValue(),
                1e-9,
                "pi's cost of the turn, by eavs's prices, is what eavs charged");
        assertEquals(1, llm.requests().size(), "the fake LLM saw the request once, through eavs");
    }

    @Test
    void theModelsListedAreEavsOnesAndAnEavsThatFailsOrAMissingConnectorIsNamed() throws Exception {
        AgentSessions s = sessions(connector(issue(10).get("key").asText(), null));
        Frame list = s.handle(Frame.of("1", "list_models"));
        assertEquals("model_list", list.type());
        assertEquals("eavs", list.fields().get("source"));
        Map<String, Object> model = new java.util.LinkedHashMap<>();
        model.put("provider", "eavs-fake");
        model.put("id", FakeLlm.MODEL);
        model.put("name", null);
        model.put("reasoning", false);
        assertEquals(List.of(model), list.fields().get("models"));
        s.deactivate();

        s = sessions(
                connector("unused", new EavsAccessException(Reason.UNREACHABLE, "eavs at http://x did not answer")));
        AgentSessions failing = s;
        ProtocolException e = assertThrows(ProtocolException.class, () -> failing.handle(Frame.of("2", "list_models")));
        assertEquals(
                "agent_error: cannot list eavs's models: eavs at http://x did not answer",
                e.code().wire() + ": " + e.getMessage());
        s.deactivate();

        AgentSessions none = new AgentSessions(
                launcher,
                new ConfinedWorkspace(dir.resolve("ws")),
                AgentSessionsTest.TestAgentConfig.defaults(),
                dir.resolve("agent"),
                true,
                null);
        sessions = none;
        e = assertThrows(ProtocolException.class, () -> none.handle(Frame.of("3", "list_models")));
        assertEquals(
                "agent_error: the eavs connector (bundle io.oqto.eavs) is not running: agents cannot reach an LLM",
                e.code().wire() + ": " + e.getMessage());
    }

    @Test
    void aChoiceEavsDoesNotOfferIsRefusedAtCreate() throws Exception {
        AgentSessions s = sessions(connector(issue(10).get("key").asText(), null));
        ProtocolException e = assertThrows(
                ProtocolException.class,
                () -> s.handle(Frame.of("1", "create_session")
                        .with("session", "x")
                        .with("provider", "openai")
                        .with("model", "gpt-5")));
        assertEquals(
                "invalid_request: provider openai is not one eavs offers (eavs-fake)",
                e.code().wire() + ": " + e.getMessage());
    }

    @Test
    void directProvidersBesideEavsAreRefusedNotSilentlyIgnored() throws Exception {
        AgentSessions s = sessions(
                connector(issue(10).get("key").asText(), null),
                new String[] {"fake openai-completions " + llm.baseUrl() + " env:KEY " + FakeLlm.MODEL});
        ProtocolException e = assertThrows(
                ProtocolException.class,
                () -> s.handle(Frame.of("1", "create_session").with("session", "x")));
        assertEquals(
                "spawn_failed: [agent] providers and [eavs] base_url are both set: with eavs every provider comes from "
                        + "eavs; remove [agent] providers",
                e.code().wire() + ": " + e.getMessage());
    }

    @Test
    void anEavsThatCannotBeUsedFailsTheStartAtItsStage() throws Exception {
        AgentSessions s = sessions(connector(
                "unused",
                new EavsAccessException(
                        Reason.UNREACHABLE,
                        "eavs at http://127.0.0.1:9 did not answer GET /providers/detail: connection refused")));
        Recorder r = started(s, "down");
        Map<?, ?> error = r.await(AgentSessionsTest.type("session.error"), "the start's failure");
        assertEquals(
                Map.of(
                        "stage",
                        "eavs",
                        "message",
                        "eavs at http://127.0.0.1:9 did not answer GET /providers/detail: connection refused",
                        "recoverable",
                        true),
                error.get("data"));
        r.await(AgentSessionsTest.state("stopped"), "stopped");
        assertTrue(launcher.started.isEmpty(), "pi was not started");
    }

    @Test
    void aUserOverBudgetGetsASessionErrorThatSaysBudget() throws Exception {
        AgentSessions s = sessions(connector(issue(0).get("key").asText(), null));
        Recorder r = started(s, "broke");
        r.await(AgentSessionsTest.state("idle"), "idle");
        prompt(s, "broke", "hello");
        Map<?, ?> error = r.await(
                e -> AgentSessionsTest.type("session.error").test(e)
                        && "llm".equals(((Map<?, ?>) e.get("data")).get("stage")),
                "the refusal as a session error");
        assertEquals("budget_exceeded", ((Map<?, ?>) error.get("data")).get("code"), error.toString());
        assertTrue(
                String.valueOf(((Map<?, ?>) error.get("data")).get("message")).contains("budget"), error.toString());
        r.await(AgentSessionsTest.state("idle"), "idle again: the session stays usable");
        assertEquals(0, llm.requests().size(), "nothing reached the LLM");
    }
}

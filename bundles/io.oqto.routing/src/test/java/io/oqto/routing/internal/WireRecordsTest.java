package io.oqto.routing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.runner.ErrorCode;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import io.oqto.api.runner.Subscribed;
import io.oqto.api.runner.SubscriptionEnded;
import io.oqto.api.runner.files.CreateDirectory;
import io.oqto.api.runner.files.DeletePath;
import io.oqto.api.runner.files.FileStat;
import io.oqto.api.runner.files.FileWritten;
import io.oqto.api.runner.files.ListDirectory;
import io.oqto.api.runner.files.PathDone;
import io.oqto.api.runner.files.ReadFile;
import io.oqto.api.runner.files.RenamePath;
import io.oqto.api.runner.files.Stat;
import io.oqto.api.runner.files.WriteFile;
import io.oqto.api.runner.processes.GetProcess;
import io.oqto.api.runner.processes.LimitsSpec;
import io.oqto.api.runner.processes.ListProcesses;
import io.oqto.api.runner.processes.Output;
import io.oqto.api.runner.processes.OutputLine;
import io.oqto.api.runner.processes.ProcessExited;
import io.oqto.api.runner.processes.ProcessInfo;
import io.oqto.api.runner.processes.ProcessReply;
import io.oqto.api.runner.processes.ReadOutput;
import io.oqto.api.runner.processes.RestartSpec;
import io.oqto.api.runner.processes.SpawnProcess;
import io.oqto.api.runner.processes.StopProcess;
import io.oqto.api.runner.processes.SubscribeOutput;
import io.oqto.api.runner.programs.StartProgram;
import io.oqto.api.runner.sessions.AgentEvent;
import io.oqto.api.runner.sessions.CreateSession;
import io.oqto.api.runner.sessions.DeleteSession;
import io.oqto.api.runner.sessions.GetSession;
import io.oqto.api.runner.sessions.ListSessions;
import io.oqto.api.runner.sessions.RestartSession;
import io.oqto.api.runner.sessions.SessionCommand;
import io.oqto.api.runner.sessions.SessionEvents;
import io.oqto.api.runner.sessions.StopSession;
import io.oqto.api.runner.sessions.SubscribeSession;
import io.oqto.runner.protocol.Frame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireRecordsTest {

    @Test
    void requestsBecomeTheFieldsTheRunnerReads() {
        SpawnProcess spawn = new SpawnProcess(
                "build",
                List.of("make", "-j2"),
                null,
                Map.of("CC", "gcc"),
                false,
                null,
                new RestartSpec("on-failure", 3, null),
                new LimitsSpec(512L, null, 50L));
        assertEquals("spawn_process", WireRecords.typeOf(spawn.getClass()));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("name", "build");
        expected.put("argv", List.of("make", "-j2"));
        expected.put("env", Map.of("CC", "gcc"));
        expected.put("sandboxed", false);
        expected.put("restart", Map.of("policy", "on-failure", "max", 3));
        expected.put("limits", Map.of("memory_mb", 512L, "cpu_percent", 50L));
        assertEquals(expected, WireRecords.fields(spawn));
        assertEquals(
                List.copyOf(expected.keySet()),
                List.copyOf(WireRecords.fields(spawn).keySet()),
                "in component order");

        assertEquals(
                Map.of("session", "s1", "command", "set_model", "provider", "eavs", "model_id", "gpt-5"),
                WireRecords.fields(SessionCommand.setModel("s1", "eavs", "gpt-5")));
        assertEquals(
                Map.of("path", "a/b", "data_base64", "aGk=", "create_parents", true),
                WireRecords.fields(WriteFile.of("a/b", "hi".getBytes(java.nio.charset.StandardCharsets.UTF_8), true)));
        assertEquals(Map.of("name", "p", "grace_ms", 2000L), WireRecords.fields(new StopProcess("p", 2000)));
        assertEquals(Map.of(), WireRecords.fields(new ListProcesses()));
    }

    @Test
    void everyRequestNamesItsTypeAndAReplyTheCodecCanRead() {
        List<RunnerRequest<?>> all = List.of(
                new Stat("."),
                new ListDirectory(".", true),
                new ReadFile("f", 0, 1),
                WriteFile.of("f", new byte[0], false),
                new CreateDirectory("d", true),
                new DeletePath("d", true),
                new RenamePath("a", "b", false),
                new SpawnProcess("p", List.of("true"), null, null, null, null, null, null),
                new ListProcesses(),
                new GetProcess("p"),
                new ReadOutput("p", 0, 10),
                new StopProcess("p", 0),
                new SubscribeOutput("p", 0),
                new StartProgram("pi", null, null, null),
                new CreateSession(null, null, null, null, null),
                new ListSessions(),
                new io.oqto.api.runner.sessions.ListModels(),
                new io.oqto.api.runner.terminals.CreateTerminal(null),
                new io.oqto.api.runner.terminals.ListTerminals(),
                new io.oqto.api.runner.terminals.DeleteTerminal("t-1"),
                new io.oqto.api.runner.terminals.ConnectTerminal("t-1"),
                new GetSession("s"),
                SessionCommand.of("s", "abort"),
                new SubscribeSession("s", 0),
                new StopSession("s"),
                new RestartSession("s"),
                new DeleteSession("s"),
                new io.oqto.api.runner.history.ListHistory(null, null),
                new io.oqto.api.runner.history.GetHistory("s"),
                new io.oqto.api.runner.history.ReadHistory("s", null, null, true),
                new io.oqto.api.runner.history.RenameHistory("s", "t"),
                new io.oqto.api.runner.history.DeleteHistory("s"),
                new io.oqto.api.runner.history.SearchHistory("zebra", null, "user", 1L, null, 5),
                new io.oqto.api.runner.memory.ListMemories(null, null, null, null, null),
                new io.oqto.api.runner.memory.CreateMemory(null, "c", null, null, null),
                new io.oqto.api.runner.memory.GetMemory("m", null),
                new io.oqto.api.runner.memory.UpdateMemory("m", null, "c", null, null, null),
                new io.oqto.api.runner.memory.DeleteMemory("m", null),
                new io.oqto.api.runner.memory.SearchMemories("q", null, null, null));
        for (RunnerRequest<?> r : all) {
            Class<?> reply = WireRecords.replyType(r);
            assertTrue(reply.isRecord() && reply.isAnnotationPresent(RunnerMessage.class), r + " → " + reply);
            assertTrue(WireRecords.typeOf(r.getClass()).matches("[a-z_]+"), r.toString());
        }
        assertEquals(Subscribed.class, WireRecords.replyType(new SubscribeOutput("p", 0)));
    }

    @Test
    void repliesBecomeRecordsWithNestedRecordsAndNullsWhereTheRunnerSentNone() {
        assertEquals(
                new FileStat("gone", false, null, null, null),
                WireRecords.reply(
                        new Frame("1", "file_stat", Map.of("path", "gone", "exists", false)), FileStat.class));
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("name", "p");
        process.put("pid", 42);
        process.put("running", false);
        process.put("exit_code", 3);
        process.put("exit_signal", null);
        process.put("started_at", "2026-12-02T00:00:00Z");
        process.put("argv", List.of("false"));
        process.put("sandboxed", true);
        process.put("restart", Map.of("policy", "never"));
        process.put("restarts", 0);
        process.put("limits", Map.of("memory_mb", 1024, "mechanism", "rlimit"));
        process.put("command", List.of("bwrap", "false"));
        process.put("added_in_a_later_minor_version", "ignored");
        ProcessReply reply =
                WireRecords.reply(new Frame("1", "process_spawned", Map.of("process", process)), ProcessReply.class);
        assertEquals(
                new ProcessInfo(
                        "p",
                        42,
                        false,
                        3,
                        null,
                        "2026-12-02T00:00:00Z",
                        List.of("false"),
                        true,
                        Map.of("policy", "never"),
                        0,
                        Map.of("memory_mb", 1024, "mechanism", "rlimit"),
                        List.of("bwrap", "false")),
                reply.process());
    }

    @Test
    void aModelListKeepsItsOrderAndMissingNamesAreNull() {
        Map<String, Object> unnamed = new LinkedHashMap<>();
        unnamed.put("provider", "fake");
        unnamed.put("id", "fake-model");
        unnamed.put("name", null);
        unnamed.put("reasoning", false);
        io.oqto.api.runner.sessions.ModelList list = WireRecords.reply(
                new Frame(
                        "1",
                        "model_list",
                        Map.of(
                                "models",
                                List.of(
                                        unnamed,
                                        Map.of("provider", "eavs-x", "id", "t", "name", "Thinker", "reasoning", true)),
                                "source",
                                "agent.providers")),
                io.oqto.api.runner.sessions.ModelList.class);
        assertEquals(
                new io.oqto.api.runner.sessions.ModelList(
                        List.of(
                                new io.oqto.api.runner.sessions.AgentModel("fake", "fake-model", null, false),
                                new io.oqto.api.runner.sessions.AgentModel("eavs-x", "t", "Thinker", true)),
                        "agent.providers"),
                list);
    }

    @Test
    void historyPagesKeepTheirPartsAndEarlierSessionsTheirHistoryFields() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("idx", 3);
        message.put("role", "assistant");
        message.put("content", "done");
        message.put("parts", List.of(Map.of("type", "tool_call", "id", "p1", "name", "bash", "input", Map.of("x", 1))));
        message.put("created_at", "2026-12-02T00:00:00Z");
        message.put("model", "fake/fake-model");
        message.put("tokens", 17);
        message.put("cost_usd", 0);
        io.oqto.api.runner.history.MessagePage page = WireRecords.reply(
                new Frame(
                        "1",
                        "history_messages",
                        Map.of("conversation", "s1", "messages", List.of(message), "more", true)),
                io.oqto.api.runner.history.MessagePage.class);
        assertEquals(
                new io.oqto.api.runner.history.StoredMessage(
                        3,
                        "assistant",
                        "done",
                        List.of(Map.of("type", "tool_call", "id", "p1", "name", "bash", "input", Map.of("x", 1))),
                        "2026-12-02T00:00:00Z",
                        "fake/fake-model",
                        17L,
                        0.0),
                page.messages().get(0));
        Map<String, Object> earlier = new LinkedHashMap<>();
        earlier.put("id", "r1");
        earlier.put("state", "stopped");
        earlier.put("stop_reason", "earlier");
        earlier.put("cwd", ".");
        earlier.put("created_at", "2026-12-02T00:00:00Z");
        earlier.put("last_seq", 0);
        earlier.put("subscribers", 0);
        earlier.put("title", "zebras");
        earlier.put("messages", 4);
        earlier.put("resumable", true);
        io.oqto.api.runner.sessions.SessionList list = WireRecords.reply(
                new Frame(
                        "2",
                        "session_list",
                        Map.of(
                                "sessions",
                                List.of(earlier),
                                "subscriptions",
                                0,
                                "history",
                                Map.of("store", "embedded", "waiting", 2))),
                io.oqto.api.runner.sessions.SessionList.class);
        assertEquals(true, list.sessions().get(0).resumable());
        assertEquals(4L, list.sessions().get(0).messages());
        assertEquals(new io.oqto.api.runner.history.HistoryState("embedded", 2), list.history());
    }

    @Test
    void eventsBecomeTheSubscribingRequestsEventRecords() {
        assertEquals(
                new Output("p", List.of(new OutputLine(7, "stdout", "ok"))),
                WireRecords.event(
                        new Frame(
                                null,
                                "output",
                                Map.of(
                                        "subscription",
                                        "9",
                                        "name",
                                        "p",
                                        "lines",
                                        List.of(Map.of("seq", 7, "stream", "stdout", "text", "ok")))),
                        SubscribeOutput.class));
        assertEquals(
                new ProcessExited("p", 137, "KILL", 0, false),
                WireRecords.event(
                        new Frame(
                                null,
                                "process_exited",
                                Map.of(
                                        "name",
                                        "p",
                                        "exit_code",
                                        137,
                                        "exit_signal",
                                        "KILL",
                                        "restarts",
                                        0,
                                        "restarting",
                                        false)),
                        SubscribeOutput.class));
        assertEquals(
                new SubscriptionEnded("unsubscribed"),
                WireRecords.event(
                        new Frame(null, "subscription_ended", Map.of("reason", "unsubscribed")),
                        SubscribeSession.class));
        assertEquals(
                new SessionEvents("s", List.of(new AgentEvent(3, "agent.idle", 99, Map.of()))),
                WireRecords.event(
                        new Frame(
                                null,
                                "session_events",
                                Map.of(
                                        "session",
                                        "s",
                                        "events",
                                        List.of(Map.of(
                                                "seq", 3, "type", "agent.idle", "time_ms", 99, "data", Map.of())))),
                        SubscribeSession.class));
    }

    @Test
    void aDecimalTakesAnyJsonNumberAndNothingElse() {
        Map<String, Object> cost =
                new java.util.HashMap<>(Map.of("usd", 0L, "input_tokens", 12L, "output_tokens", 3L, "messages", 1L));
        Map<String, Object> session = new java.util.HashMap<>(
                Map.of("id", "s", "state", "idle", "cwd", ".", "created_at", "t", "last_seq", 1L, "subscribers", 0L));
        session.put("cost", cost);
        java.util.function.Supplier<io.oqto.api.runner.sessions.SessionCost> read = () -> WireRecords.reply(
                        new Frame("1", "session_info", Map.of("session", session)),
                        io.oqto.api.runner.sessions.SessionReply.class)
                .session()
                .cost();
        assertEquals(new io.oqto.api.runner.sessions.SessionCost(0.0, 12, 3, 1), read.get(), "0 arrives whole");
        cost.put("usd", 0.0125);
        assertEquals(0.0125, read.get().usd());
        cost.put("usd", "0.01");
        assertEquals(
                "the runner sent session_info.session.cost.usd is String, not double",
                internal(() -> assertEquals(null, read.get())));
    }

    @Test
    void whatDoesNotFitIsTheRunnersBugNamingTheField() {
        assertEquals(
                "the runner sent file_written.path is missing",
                internal(() -> WireRecords.reply(
                        new Frame("1", "file_written", Map.of("bytes_written", 3)), FileWritten.class)));
        assertEquals(
                new PathDone(null),
                WireRecords.reply(new Frame("1", "path_renamed", Map.of()), PathDone.class),
                "a @Nullable component may be left out");
        assertEquals(
                "the runner sent file_stat.exists is missing",
                internal(() -> WireRecords.reply(new Frame("1", "file_stat", Map.of("path", "x")), FileStat.class)));
        assertEquals(
                "the runner sent file_stat.size is String, not Long",
                internal(() -> WireRecords.reply(
                        new Frame("1", "file_stat", Map.of("path", "x", "exists", true, "size", "big")),
                        FileStat.class)));
        assertEquals(
                "the runner sent process_status.process.argv[1] is Integer, not String",
                internal(() -> WireRecords.reply(
                        new Frame(
                                "1",
                                "process_status",
                                Map.of(
                                        "process",
                                        Map.of(
                                                "name",
                                                "p",
                                                "pid",
                                                1,
                                                "running",
                                                true,
                                                "started_at",
                                                "2026-12-02T00:00:00Z",
                                                "argv",
                                                List.of("a", 2),
                                                "sandboxed",
                                                true,
                                                "restarts",
                                                0))),
                        ProcessReply.class)));
        assertEquals(
                "the runner sent process_status.process.pid is Double, not long",
                internal(() -> WireRecords.reply(
                        new Frame("1", "process_status", Map.of("process", Map.of("name", "p", "pid", 1.5))),
                        ProcessReply.class)));
        assertEquals(
                "the runner sent a reply of type \"pong\" where [file_stat] was expected",
                internal(() -> WireRecords.reply(new Frame("1", "pong", Map.of()), FileStat.class)));
        assertEquals(
                "the runner sent an event of type \"output\" on a subscribe_session subscription",
                internal(() -> WireRecords.event(new Frame(null, "output", Map.of()), SubscribeSession.class)));
    }

    @Test
    void componentNamesAreSnakeCaseOnTheWire() {
        assertEquals("data_base64", WireRecords.wireName("dataBase64"));
        assertEquals("pi_session_id", WireRecords.wireName("piSessionId"));
        assertEquals("path", WireRecords.wireName("path"));
    }

    private static String internal(Runnable r) {
        RunnerErrorException e = assertThrows(RunnerErrorException.class, r::run);
        assertEquals(ErrorCode.INTERNAL, e.code());
        return e.getMessage();
    }
}

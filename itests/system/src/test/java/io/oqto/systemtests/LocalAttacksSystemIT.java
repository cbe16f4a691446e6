package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.llm.FakeLlm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local attack paths of issue 10, tried the way a hostile local user would: bob, a provisioned platform
 * user, against the operator's console, alice and the machine; from his shell and from inside his sandboxed
 * agent. Every attempt must be refused with the documented error (docs/architecture.md lists them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalAttacksSystemIT {

    private static final Duration WAIT = MultiUserDeployment.WAIT;
    private static final long IDLE_TIMEOUT_MS = 20_000;

    private MultiUserDeployment d;
    private String alice;
    private String bob;
    private String aliceToken;
    private String bobToken;
    private Path bobDir;

    @BeforeAll
    void start() throws Exception {
        d = new MultiUserDeployment(List.of("idle_timeout_ms = " + IDLE_TIMEOUT_MS));
        alice = d.user("a" + d.tag);
        bob = d.user("b" + d.tag);
        aliceToken = d.provision(alice);
        bobToken = d.provision(bob);
        // A directory of bob's own outside his home, for his tools and what they report.
        bobDir = Files.createDirectories(d.work.resolve("bob"));
        Commands.runOk(List.of("chown", "oqto_" + bob, bobDir.toString()));
        for (String f : List.of("ProcSnoop.java", "PeerProbe.java")) {
            Files.copy(Path.of("src/test/resources", f), bobDir.resolve(f));
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    private List<String> asBob(String... command) {
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "oqto_" + bob, "--"));
        c.addAll(List.of(command));
        return c;
    }

    private String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    @Order(1)
    void operatorSecretsNeverShowInProcWhileRootProvisions() throws Exception {
        Path seen = bobDir.resolve("seen.txt");
        Path stopFile = bobDir.resolve("stop");
        Process snoop = new ProcessBuilder(asBob(
                        java(),
                        "-XX:-UsePerfData",
                        bobDir.resolve("ProcSnoop.java").toString(),
                        seen.toString(),
                        stopFile.toString()))
                .redirectErrorStream(true)
                .start();
        BufferedReader snoopOut =
                new BufferedReader(new InputStreamReader(snoop.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("snooping", snoopOut.readLine(), "the snooper runs");
        // Proof that the snooper sees other users' command lines: a decoy of root's with a marker in its argv.
        String decoy = "DECOY-" + d.tag;
        Process marked = new ProcessBuilder("sh", "-c", "sleep 3", decoy).start();

        List<String> secrets = new ArrayList<>();
        String ctl = d.controlPlane.home.resolve("bin/oqtoctl").toString();
        // Eight rounds (each starts console clients and provisions): the decoy proves the snooper samples fast
        // enough to see a command line; more rounds only cost minutes of the test run.
        for (int i = 0; i < 8; i++) {
            String name = d.user("c" + i + d.tag);
            Commands.Result created =
                    Commands.run(List.of(ctl, "user", "create", name, "--email", name + "@example.com"), WAIT);
            assertEquals(0, created.exit(), created.output());
            secrets.add(Commands.printedToken(created));
            Commands.Result list = Commands.run(List.of(ctl, "user", "list"), WAIT);
            assertTrue(list.output().contains(name), list.output());
            Commands.Result deleted = Commands.run(List.of(ctl, "user", "delete", name), WAIT);
            assertEquals(0, deleted.exit(), deleted.output());
        }
        marked.waitFor();
        Files.writeString(Files.createFile(bobDir.resolve("stop.tmp")), "");
        Files.move(bobDir.resolve("stop.tmp"), stopFile);
        assertTrue(snoop.waitFor(60, TimeUnit.SECONDS), "the snooper stops");
        String all = Files.readString(seen);

        assertTrue(
                all.contains(decoy), "the snooper saw root's decoy, so it would have seen a secret on a command line");
        assertTrue(
                all.contains("org.apache.karaf.client.Main"),
                "it saw the console client run: " + all.lines().count() + " lines");
        List<String> keyLines = Files.readAllLines(d.controlPlane.home.resolve("data/operator.key")).stream()
                .filter(l -> !l.startsWith("-----"))
                .toList();
        secrets.addAll(keyLines);
        secrets.add(d.adminToken);
        for (String secret : secrets) {
            assertFalse(all.contains(secret), "a secret was readable in /proc: " + secret.substring(0, 8) + "…");
        }
        assertTrue(
                all.lines().noneMatch(l -> l.contains("org.apache.karaf.client.Main") && l.contains(" -p ")),
                "no password option on any console client's command line");
    }

    @Test
    @Order(2)
    void onlyRootAndTheControlPlaneUserGetAConsole() throws Exception {
        String shell = d.controlPlane.home.resolve("bin/oqto-shell").toString();
        Commands.Result asOqto = Commands.run(List.of("runuser", "-u", "oqto", "--", shell, "oqto:user-list"), WAIT);
        assertEquals(0, asOqto.exit(), asOqto.output());
        assertTrue(asOqto.output().contains(bob), asOqto.output());

        Commands.Result asBob = Commands.run(asBob(shell, "oqto:user-list"), WAIT);
        assertNotEquals(0, asBob.exit());
        assertTrue(
                asBob.output()
                        .contains("oqto-shell: " + d.controlPlane.home.resolve("data/operator.key") + " not readable"),
                asBob.output());
        // Guessing: password logins are off, whatever the account and password; a key of bob's own is not the
        // operator's.
        String client = d.controlPlane.home.resolve("bin/client").toString();
        for (String[] guess :
                new String[][] {{"oqto", "oqto"}, {"karaf", "karaf"}, {"admin", "admin"}, {"root", "root"}}) {
            Commands.Result r =
                    Commands.run(asBob(client, "-r", "1", "-u", guess[0], "-p", guess[1], "oqto:user-list"), WAIT);
            assertNotEquals(0, r.exit(), String.join("/", guess) + ": " + r.output());
            assertTrue(
                    r.output().contains("Authentication failed")
                            || r.output().contains("No more authentication methods"),
                    String.join("/", guess) + ": " + r.output());
        }
        Path bobKey = bobDir.resolve("id_ecdsa");
        Commands.runOk(asBob("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", bobKey.toString()));
        Commands.Result withKey =
                Commands.run(asBob(client, "-r", "1", "-u", "oqto", "-k", bobKey.toString(), "oqto:user-list"), WAIT);
        assertNotEquals(0, withKey.exit(), withKey.output());
        assertFalse(withKey.output().contains("karaf@"), withKey.output());

        // The only TCP ports the control plane listens on are the REST API and the key-only console.
        assertEquals(Set.of(d.port, d.consolePort), Listening.tcpPorts(d.controlPlaneJava()));
        long bobRunner = MultiUserDeployment.pidIn(d.send("GET", "/api/v1/users/" + bob + "/runner", null, bobToken)
                .body());
        assertEquals(Set.of(), Listening.tcpPorts(bobRunner), "a runner listens on no TCP port");
    }

    @Test
    @Order(3)
    void aCallersEnvironmentReachesOnlyTheSandboxedProgram() throws Exception {
        Path ws = Path.of("/home/oqto_" + bob, "oqto");
        Path marker = Path.of("/tmp/oqto-preload-" + d.tag);
        Path source = Files.writeString(
                bobDir.resolve("evil.c"),
                "#include <stdio.h>\n"
                        + "__attribute__((constructor)) static void loaded(void) {\n"
                        + "  FILE *f = fopen(\"" + marker
                        + "\", \"a\"); if (f) { fputs(\"loaded\\n\", f); fclose(f); } }\n");
        Path so = ws.resolve("evil.so");
        Commands.runOk(asBob("gcc", "-shared", "-fPIC", "-o", so.toString(), source.toString()));
        // The object works: preloaded outside any sandbox it leaves its marker.
        Commands.runOk(asBob("env", "LD_PRELOAD=" + so, "/bin/true"));
        assertTrue(Files.exists(marker), "the preload object writes its marker when loaded");
        Files.delete(marker);

        String refused = "\\\"env\\\": LD_PRELOAD is not allowed: it changes how programs are loaded or shells start";
        HttpResponse<String> sandboxed = d.send(
                "POST",
                "/api/v1/users/" + bob + "/processes",
                "{\"name\":\"pre\",\"argv\":[\"/bin/true\"]," + "\"env\":{\"LD_PRELOAD\":\"" + so + "\"}}",
                bobToken);
        assertEquals(400, sandboxed.statusCode(), sandboxed.body());
        assertTrue(
                sandboxed.body().contains("\"code\":\"bad_request\"")
                        && sandboxed.body().contains(refused),
                sandboxed.body());
        HttpResponse<String> admin = d.send(
                "POST",
                "/api/v1/users/" + bob + "/processes",
                "{\"name\":\"pre2\",\"argv\":[\"/bin/true\"]," + "\"sandboxed\":false,\"env\":{\"LD_PRELOAD\":\"" + so
                        + "\"}}",
                d.adminToken);
        assertEquals(400, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains(refused), admin.body());
        for (String name : List.of(
                "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_ENV", "ENV", "GCONV_PATH", "GLIBC_TUNABLES", "SHELLOPTS")) {
            HttpResponse<String> r = d.send(
                    "POST",
                    "/api/v1/users/" + bob + "/processes",
                    "{\"name\":\"x\",\"argv\":[\"/bin/true\"]," + "\"env\":{\"" + name + "\":\"" + so + "\"}}",
                    bobToken);
            assertEquals(400, r.statusCode(), name + ": " + r.body());
            assertTrue(r.body().contains("\\\"env\\\": " + name + " is not allowed"), r.body());
        }
        assertFalse(Files.exists(marker), "nothing loaded the object");

        // Ordinary variables arrive in the program, and only there: neither bwrap's environment nor any command line
        // has them.
        String value = "v-" + d.tag + "-private";
        HttpResponse<String> spawned = d.send(
                "POST",
                "/api/v1/users/" + bob + "/processes",
                "{\"name\":\"greeter\","
                        + "\"argv\":[\"/bin/sh\",\"-c\",\"echo \\\"$GREETING\\\"; exec sleep 60\"],\"env\":{\"GREETING\":\""
                        + value + "\"}}",
                bobToken);
        assertEquals(201, spawned.statusCode(), spawned.body());
        long top = MultiUserDeployment.pidIn(spawned.body());
        Commands.waitFor(
                "the greeting",
                WAIT,
                () -> body("/api/v1/users/" + bob + "/processes/greeter/output").contains(value));
        List<ProcessHandle> tree = new ArrayList<>();
        ProcessHandle.of(top).ifPresent(tree::add);
        Commands.waitFor(
                "sleep inside the sandbox",
                WAIT,
                () -> ProcessHandle.of(top)
                        .map(h -> h.descendants()
                                .anyMatch(c -> c.info().command().orElse("").endsWith("sleep")))
                        .orElse(false));
        ProcessHandle.of(top).ifPresent(h -> h.descendants().forEach(tree::add));
        assertTrue(tree.size() >= 2, "bwrap and the program: " + tree);
        for (ProcessHandle h : tree) {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
            assertFalse(cmdline.contains(value), "on a command line: " + cmdline.replace('\0', ' '));
        }
        String wrapperEnv = Files.readString(Path.of("/proc", Long.toString(top), "environ"));
        assertTrue(
                Files.readString(Path.of("/proc", Long.toString(top), "cmdline"))
                        .contains("bwrap"),
                "the top is bwrap");
        assertFalse(wrapperEnv.contains("GREETING"), "bwrap did not inherit the caller's variables");
        ProcessHandle program = tree.stream()
                .filter(h -> h.info().command().orElse("").endsWith("sleep"))
                .findFirst()
                .orElseThrow();
        assertTrue(Files.readString(Path.of("/proc", Long.toString(program.pid()), "environ"))
                .contains("GREETING=" + value));
        assertEquals(
                200,
                d.send("POST", "/api/v1/users/" + bob + "/processes/greeter/stop", null, bobToken)
                        .statusCode());
    }

    @Test
    @Order(4)
    void droppedStreamsEndTheirSubscriptionsAndAreBoundedPerUser() throws Exception {
        String base = "/api/v1/users/" + bob;
        assertEquals(
                201,
                d.send(
                                "POST",
                                base + "/processes",
                                "{\"name\":\"ticker\",\"argv\":[\"/bin/sh\",\"-c\","
                                        + "\"while :; do echo t; sleep 1; done\"]}",
                                bobToken)
                        .statusCode());
        assertEquals(
                201,
                d.send(
                                "POST",
                                base + "/sessions",
                                "{\"session\":\"watched\",\"provider\":\"fake\",\"model\":\"" + FakeLlm.MODEL + "\"}",
                                bobToken)
                        .statusCode());
        Commands.waitFor(
                "the session idle", WAIT, () -> body(base + "/sessions/watched").contains("\"state\":\"idle\""));
        long runner = MultiUserDeployment.pidIn(
                d.send("GET", base + "/runner", null, bobToken).body());
        int uid = Commands.uidOf("oqto_" + bob);
        String sessionEvents = base + "/sessions/watched/events";
        String processEvents = base + "/processes/ticker/events";

        // Warm-up, so that threads made once and kept are there before the baseline.
        RawStream.dropAll(RawStream.open(d.port, sessionEvents, bobToken, 1));
        RawStream.dropAll(RawStream.open(d.port, processEvents, bobToken, 1));
        awaitNoSubscriptions(uid);
        int baseline = Threads.of(runner);

        // The bound: 64 streams per user, then 429 busy; the runner is not asked for the 65th.
        List<RawStream> held = RawStream.open(d.port, sessionEvents, bobToken, 64);
        RawStream refused = RawStream.connect(d.port, sessionEvents, bobToken);
        assertEquals(429, refused.status(), refused.head());
        assertTrue(
                refused.head().contains("\"code\":\"busy\"")
                        && refused.head()
                                .contains(bob + " already has 64 event streams open "
                                        + "(the limit per user): close one first"),
                refused.head());
        refused.close();
        assertEquals(64, runnerCount(uid, "list_sessions"));
        RawStream.dropAll(held);
        awaitNoSubscriptions(uid);

        // Process streams first: the session's last watcher then leaves last, and the idle clock starts there.
        for (String path : List.of(processEvents, sessionEvents)) {
            for (int round = 0; round < 4; round++) {
                RawStream.dropAll(RawStream.open(d.port, path, bobToken, 50));
                awaitNoSubscriptions(uid);
            }
        }
        long unwatchedAt = System.nanoTime();
        Commands.waitFor("the runner's threads back to " + baseline, WAIT, () -> Threads.of(runner) <= baseline);
        System.out.println("[figures] runner threads: baseline " + baseline + ", after 2 x 200 dropped streams "
                + Threads.of(runner));

        Commands.waitFor(
                "the unwatched idle session stopped",
                WAIT,
                () -> body(base + "/sessions/watched").contains("\"state\":\"stopped\""));
        long afterMs = (System.nanoTime() - unwatchedAt) / 1_000_000;
        assertTrue(
                body(base + "/sessions/watched").contains("\"stop_reason\":\"idle\""),
                body(base + "/sessions/watched"));
        // Measured from when this test saw zero subscriptions, a little after the runner did.
        assertTrue(
                afterMs >= IDLE_TIMEOUT_MS - 3_000 && afterMs <= IDLE_TIMEOUT_MS + 5_000,
                "stopped " + afterMs + " ms after its last watcher left (idle_timeout_ms " + IDLE_TIMEOUT_MS + ")");
        System.out.println("[figures] idle session stopped " + afterMs + " ms after the last stream was dropped");
        assertEquals(
                200,
                d.send("POST", base + "/processes/ticker/stop", null, bobToken).statusCode());
    }

    /** Waits until neither the process table nor the agent sessions of bob's runner have a subscription. */
    private void awaitNoSubscriptions(int uid) throws InterruptedException {
        Commands.waitFor(
                "no subscriptions left on the runner",
                WAIT,
                () -> runnerCount(uid, "list_sessions") == 0 && runnerCount(uid, "list_processes") == 0);
    }

    /** The {@code subscriptions} count the runner reports in its list reply, asked as root over its socket. */
    private static int runnerCount(int uid, String type) {
        try {
            String reply = RunnerSocket.request(Path.of("/run/user/" + uid + "/oqto-runner.sock"), type);
            return Integer.parseInt(reply.replaceAll("(?s).*\"subscriptions\":(\\d+).*", "$1"));
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    @Order(5)
    void aHostileUserIsRefusedEverywhere() throws Exception {
        String a = "/api/v1/users/" + alice;
        String forbidden = "user " + bob + " may not access the runner of " + alice;
        String[][] routes = {
            {"GET", a + "/runner", null},
            {"POST", a + "/runner/ping", null},
            {"GET", a + "/files", null},
            {"GET", a + "/files/notes.txt", null},
            {"DELETE", a + "/files/notes.txt", null},
            {"GET", a + "/processes", null},
            {"POST", a + "/processes", "{\"name\":\"x\",\"argv\":[\"/bin/true\"]}"},
            {"GET", a + "/processes/x", null},
            {"GET", a + "/processes/x/output", null},
            {"GET", a + "/processes/x/events", null},
            {"POST", a + "/processes/x/stop", null},
            {"POST", a + "/programs/pi", "{}"},
            {"GET", a + "/sessions", null},
            {"POST", a + "/sessions", "{\"session\":\"s\"}"},
            {"GET", a + "/sessions/s", null},
            {"DELETE", a + "/sessions/s", null},
            {"POST", a + "/sessions/s/prompt", "{\"message\":\"hi\"}"},
            {"POST", a + "/sessions/s/abort", null},
            {"GET", a + "/sessions/s/events", null},
        };
        for (String[] r : routes) {
            HttpResponse<String> res = d.send(r[0], r[1], r[2], bobToken);
            assertEquals(403, res.statusCode(), r[0] + " " + r[1] + ": " + res.body());
            assertTrue(
                    res.body().contains("\"code\":\"forbidden\"") && res.body().contains(forbidden), res.body());
        }
        HttpResponse<String> put = d.send("PUT", a + "/files/notes.txt", "x", bobToken);
        assertEquals(403, put.statusCode(), put.body());
        for (String[] r : new String[][] {
            {"GET", "/api/v1/admin/users"}, {"POST", "/api/v1/admin/users"}, {"DELETE", "/api/v1/admin/users/" + alice}
        }) {
            HttpResponse<String> res = d.send(
                    r[0],
                    r[1],
                    r[0].equals("POST") ? "{\"name\":\"evil\",\"email\":\"e@example.com\"}" : null,
                    bobToken);
            assertEquals(403, res.statusCode(), r[1] + ": " + res.body());
            assertTrue(res.body().contains("managing users needs an admin token"), res.body());
        }
        assertEquals(401, d.send("GET", a + "/runner", null, null).statusCode(), "no token");
        assertEquals(401, d.send("GET", a + "/runner", null, aliceToken + "x").statusCode(), "a guessed token");

        // From bob's shell: alice's runner socket, the helper's socket, alice's /proc, the operator's files.
        int aliceUid = Commands.uidOf("oqto_" + alice);
        for (Path socket : List.of(Path.of("/run/user/" + aliceUid + "/oqto-runner.sock"), d.helperSocket)) {
            Commands.Result probe = Commands.run(
                    asBob(
                            java(),
                            "-XX:-UsePerfData",
                            bobDir.resolve("PeerProbe.java").toString(),
                            socket.toString()),
                    WAIT);
            assertTrue(
                    probe.output().contains("connect failed") && probe.output().contains("Permission denied"),
                    socket + ": " + probe.output());
        }
        long aliceRunner = MultiUserDeployment.pidIn(
                d.send("GET", a + "/runner", null, aliceToken).body());
        Path privateSecret = Files.createDirectories(d.work.resolve("private")).resolve("cp.key");
        Files.writeString(privateSecret, "CONTROL-PLANE-SECRET-" + d.tag + "\n");
        Commands.runOk(List.of("chgrp", "-R", "oqto", privateSecret.getParent().toString()));
        Files.setPosixFilePermissions(privateSecret.getParent(), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(privateSecret, PosixFilePermissions.fromString("rw-r-----"));
        String[][] shellAttempts = {
            {"cat /proc/" + aliceRunner + "/environ", "Permission denied"},
            {"ls /home/oqto_" + alice, "Permission denied"},
            {"cat " + privateSecret, "Permission denied"},
            {"sh -c 'echo enabled = false > " + MultiUserDeployment.SANDBOX_POLICY + "'", "Permission denied"},
            {"cat " + d.controlPlane.home.resolve("data/operator.key"), "Permission denied"},
        };
        for (String[] attempt : shellAttempts) {
            Commands.Result r = Commands.run(asBob("sh", "-c", attempt[0]), WAIT);
            assertNotEquals(0, r.exit(), attempt[0] + ": " + r.output());
            assertTrue(r.output().contains(attempt[1]), attempt[0] + ": " + r.output());
        }

        // From inside bob's sandboxed agent.
        assertEquals(
                201,
                d.send(
                                "POST",
                                "/api/v1/users/" + bob + "/sessions",
                                "{\"session\":\"sweep\",\"provider\":\"fake\"," + "\"model\":\"" + FakeLlm.MODEL
                                        + "\"}",
                                bobToken)
                        .statusCode());
        String script = String.join(
                "; ",
                "cat " + privateSecret,
                "cat /proc/" + aliceRunner + "/environ",
                "ls /home/oqto_" + alice,
                "echo enabled = false > " + MultiUserDeployment.SANDBOX_POLICY,
                "mkdir -p .oqto && echo enabled = false > .oqto/sandbox.toml",
                "ls /run/user/" + aliceUid,
                "echo done");
        String output;
        try (SseClient sse = new SseClient(
                d.http,
                "http://127.0.0.1:" + d.port + "/api/v1/users/" + bob + "/sessions/sweep/events",
                bobToken,
                null)) {
            sse.await(e -> e.name().equals("session.state") && e.data().contains("\"state\":\"idle\""), "idle", WAIT);
            assertEquals(
                    200,
                    d.send(
                                    "POST",
                                    "/api/v1/users/" + bob + "/sessions/sweep/prompt",
                                    "{\"message\":\"run: " + script.replace("\"", "\\\"") + "\"}",
                                    bobToken)
                            .statusCode());
            output = sse.await(SseClient.named("tool.end"), "the tool's end", WAIT)
                    .data();
        }
        assertTrue(output.contains("done"), output);
        assertFalse(output.contains("CONTROL-PLANE-SECRET"), output);
        assertFalse(
                output.contains("OQTO_") || output.contains("PATH="),
                "nothing of alice's runner's environment: " + output);
        assertTrue(output.contains("Permission denied") || output.contains("No such file"), output);
        // Whatever policy the agent wrote for its workspace can only tighten: the next spawn is still in the sandbox.
        HttpResponse<String> after = d.send(
                "POST",
                "/api/v1/users/" + bob + "/processes",
                "{\"name\":\"homes\",\"argv\":[\"/bin/ls\",\"/home\"]}",
                bobToken);
        assertEquals(201, after.statusCode(), after.body());
        Commands.waitFor(
                "ls /home done",
                WAIT,
                () -> body("/api/v1/users/" + bob + "/processes/homes").contains("\"running\":false"));
        String homes = body("/api/v1/users/" + bob + "/processes/homes/output");
        assertTrue(homes.contains("\"text\":\"oqto_" + bob + "\""), homes);
        assertFalse(homes.contains("oqto_" + alice), "alice's home is not even visible: " + homes);
    }

    @Test
    @Order(6)
    void badInputOverRestIsAFourHundredWithItsCodeAndNoStackTrace() throws Exception {
        long logBefore = Files.size(d.cpLog);
        String u = "/api/v1/users/" + bob;
        assertEquals(
                201,
                d.send(
                                "POST",
                                u + "/sessions",
                                "{\"session\":\"input\",\"provider\":\"fake\",\"model\":\"" + FakeLlm.MODEL + "\"}",
                                bobToken)
                        .statusCode());
        Commands.waitFor(
                "the session idle", WAIT, () -> body(u + "/sessions/input").contains("\"state\":\"idle\""));
        String[][] jsonRoutes = {
            {"POST", u + "/processes", bobToken},
            {"POST", u + "/sessions", bobToken},
            {"POST", u + "/sessions/input/prompt", bobToken},
            {"POST", u + "/sessions/input/steer", bobToken},
            {"PUT", u + "/sessions/input/model", bobToken},
            {"POST", u + "/programs/pi", bobToken},
            {"POST", "/api/v1/admin/users", d.adminToken},
        };
        byte[] deep = ("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8);
        byte[] huge = ("{\"message\":\"" + "x".repeat(2 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = {'{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xE9, '"', '}'};
        Object[][] cases = {
            {"truncated", "{\"name\":".getBytes(StandardCharsets.UTF_8), "application/json", 400, "invalid_json"},
            {"an array", "[1,2]".getBytes(StandardCharsets.UTF_8), "application/json", 400, "invalid_body"},
            {"a string", "\"hello\"".getBytes(StandardCharsets.UTF_8), "application/json", 400, "invalid_body"},
            {"nested 5000 deep", deep, "application/json", 400, "invalid_json"},
            {
                "a 1001-digit number",
                ("{\"x\":" + "9".repeat(1001) + "}").getBytes(StandardCharsets.UTF_8),
                "application/json",
                400,
                "invalid_json"
            },
            {"over 1 MiB", huge, "application/json", 413, "payload_too_large"},
            {"not UTF-8", latin1, "application/json", 400, "invalid_json"},
            {"plain text", "hello".getBytes(StandardCharsets.UTF_8), "text/plain", 415, "unsupported_media_type"},
        };
        List<String> failures = new ArrayList<>();
        for (String[] route : jsonRoutes) {
            for (Object[] c : cases) {
                HttpResponse<String> r = raw(route[0], route[1], (byte[]) c[1], (String) c[2], route[2]);
                String code = r.body().replaceAll("(?s).*\"code\":\"([a-z_]+)\".*", "$1");
                if (r.statusCode() != (int) c[3] || !code.equals(c[4])) {
                    failures.add(route[0] + " " + route[1] + " with " + c[0] + ": " + r.statusCode() + " " + r.body());
                }
            }
        }
        // Wrong field types, unknown fields, huge numbers: each route's own rules, named in the detail.
        Object[][] fields = {
            {"POST", u + "/processes", "{\"name\":5,\"argv\":[\"/bin/true\"]}", 400, "bad_request", "name"},
            {"POST", u + "/processes", "{\"name\":\"x\",\"argv\":\"/bin/true\"}", 400, "bad_request", "argv"},
            {
                "POST",
                u + "/processes",
                "{\"name\":\"x\",\"argv\":[\"/bin/true\"],\"bogus\":1}",
                400,
                "bad_request",
                "spawn takes only"
            },
            {
                "POST",
                u + "/processes",
                "{\"name\":\"x\",\"argv\":[\"/bin/true\"],\"limits\":{\"memory_mb\":1e999}}",
                400,
                "bad_request",
                "memory_mb"
            },
            {
                "POST",
                u + "/processes",
                "{\"name\":\"x\",\"argv\":[\"/bin/true\"],\"limits\":{\"memory_mb\":99999999999999999999999}}",
                400,
                "bad_request",
                "memory_mb"
            },
            {
                "POST",
                u + "/processes",
                "{\"name\":\"x\",\"argv\":[\"/bin/true\"],\"env\":{\"A\":5}}",
                400,
                "bad_request",
                "env"
            },
            {"POST", u + "/sessions", "{\"session\":[1]}", 400, "bad_request", "session"},
            {"POST", u + "/sessions", "{\"bogus\":true}", 400, "bad_request", "creating a session takes only"},
            {"POST", u + "/sessions/input/prompt", "{\"message\":5}", 400, "bad_request", "message"},
            {"POST", u + "/sessions/input/prompt", "{\"text\":\"hi\"}", 400, "bad_request", "takes only"},
            {"PUT", u + "/sessions/input/model", "{\"provider\":1,\"model_id\":2}", 400, "bad_request", "provider"},
            {"POST", u + "/programs/pi", "{\"args\":\"--x\"}", 400, "bad_request", "args"},
            {
                "POST",
                "/api/v1/admin/users",
                "{\"name\":5,\"email\":\"a@example.com\"}",
                400,
                "bad_request",
                "name and email are strings"
            },
            {
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"x\",\"email\":\"a@example.com\",\"bogus\":1}",
                400,
                "bad_request",
                "provisioning takes {\\\"name\\\", \\\"email\\\", \\\"role\\\"?}"
            },
        };
        for (Object[] f : fields) {
            String token = ((String) f[1]).startsWith("/api/v1/admin") ? d.adminToken : bobToken;
            HttpResponse<String> r = d.send((String) f[0], (String) f[1], (String) f[2], token);
            String code = r.body().replaceAll("(?s).*\"code\":\"([a-z_]+)\".*", "$1");
            if (r.statusCode() != (int) f[3] || !code.equals(f[4]) || !r.body().contains((String) f[5])) {
                failures.add(f[0] + " " + f[1] + " " + f[2] + ": " + r.statusCode() + " " + r.body());
            }
        }
        // Query parameters and headers.
        String[][] params = {
            {"GET", u + "/processes/nope/output?after=abc", "400", "invalid_parameter", "after"},
            {"GET", u + "/processes/nope/output?max=0", "400", "invalid_parameter", "max"},
            {"GET", u + "/processes/nope/output?after=99999999999999999999", "400", "invalid_parameter", "after"},
            {"GET", u + "/processes/nope/events?after=-1", "400", "invalid_parameter", "after"},
            {"POST", u + "/processes/nope/stop?grace_ms=soon", "400", "invalid_parameter", "grace_ms"},
            {"DELETE", u + "/files/nope?recursive=yes", "400", "invalid_parameter", "recursive"},
            {"PUT", u + "/files/nope?parents=1", "400", "invalid_parameter", "parents"},
            {"GET", u + "/sessions/input/events?after=x", "400", "invalid_parameter", "after"},
            {"DELETE", "/api/v1/admin/users/nobody?keep_home=maybe", "400", "invalid_parameter", "keep_home"},
        };
        for (String[] p : params) {
            String token = p[1].startsWith("/api/v1/admin") ? d.adminToken : bobToken;
            HttpResponse<String> r = d.send(p[0], p[1], p[0].equals("PUT") ? "x" : null, token);
            if (r.statusCode() != Integer.parseInt(p[2])
                    || !r.body().contains("\"code\":\"" + p[3] + "\"")
                    || !r.body().contains(p[4])) {
                failures.add(p[0] + " " + p[1] + ": " + r.statusCode() + " " + r.body());
            }
        }
        HttpResponse<String> header = d.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port + u + "/sessions/input/events"))
                        .header("Authorization", "Bearer " + bobToken)
                        .header("Last-Event-ID", "yesterday")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (header.statusCode() != 400 || !header.body().contains("\"code\":\"invalid_header\"")) {
            failures.add("Last-Event-ID: yesterday: " + header.statusCode() + " " + header.body());
        }
        // Path segments with an encoded slash reach the API as one segment; a NUL never reaches it: the HTTP
        // server refuses the request line itself (400, its own plain page), before authentication or routing.
        String[][] paths = {
            {"GET", u + "/processes/a%2Fb", "404", "\"code\":\"process_not_found\""},
            {"GET", u + "/sessions/a%2F..%2Fb", "404", "\"code\":\"session_not_found\""},
            {"GET", u + "/files/a%2F..%2F..%2Fetc%2Fpasswd", "403", "\"code\":\"path_not_allowed\""},
            {"GET", u + "/files/a%00b", "400", "<h1>Bad Message 400</h1>"},
            {"GET", u + "/processes/a%00b", "400", "<h1>Bad Message 400</h1>"},
            {"GET", "/api/v1/users/a%00b/runner", "400", "<h1>Bad Message 400</h1>"},
        };
        for (String[] p : paths) {
            HttpResponse<String> r = d.send(p[0], p[1], null, bobToken);
            if (r.statusCode() != Integer.parseInt(p[2]) || !r.body().contains(p[3])) {
                failures.add(p[0] + " " + p[1] + ": " + r.statusCode() + " " + r.body());
            }
        }
        assertEquals(List.of(), failures);
        String log = Files.readString(d.cpLog).substring((int) logBefore);
        assertFalse(
                log.contains("\tat ") || log.contains("unexpected error"),
                "no stack trace in the log for bad input:\n" + log);
    }

    /** A request with exactly these bytes and content type. */
    private HttpResponse<String> raw(String method, String path, byte[] body, String type, String token)
            throws Exception {
        return d.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", type)
                        .timeout(Duration.ofMinutes(1))
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String body(String path) {
        try {
            return d.send("GET", path, null, bobToken).body();
        } catch (Exception e) {
            return "";
        }
    }
}

package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.llm.FakeLlm;
import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed's multi-user deployment, end to end and for real: the root helper runs as root, the control
 * plane as the system user {@code oqto}; platform users are provisioned through REST and through
 * {@code oqtoctl}; each runner runs under its own UID, supervised by the helper (no systemd here). Then
 * isolation between users, hostile requests to the helper, and faults: a killed runner, a killed control
 * plane, a deleted user. The tests run in order and build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisioningSystemIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path SANDBOX_POLICY = Path.of("/etc/oqto/sandbox.toml");

    private Path work;
    private Distribution controlPlane;
    private Distribution helperDist;
    private FakeLlm llm;
    private String tag;
    private String alice;
    private String bob;
    private String group;
    private boolean createdServiceUser;
    private boolean createdSandboxPolicy;
    private int port;
    private Path config;
    private Path helperSocket;
    private Path cpLog;
    private Path helperLog;
    private String adminToken;
    private String aliceToken;
    private Map<String, String> cpEnv;
    private final List<Integer> uids = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    void start() throws Exception {
        assertEquals("0", Commands.runOk(List.of("id", "-u")).output().strip(),
                "the provisioning tests create Linux users and run a root helper: they need root (CI has it); they do not skip");
        Path pi = Path.of("../../.tools/pi/node_modules/.bin/pi").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(pi), "pi is installed by scripts/install-test-deps at " + pi);
        tag = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        alice = "a" + tag;
        bob = "b" + tag;
        group = "oqtotest" + tag;
        if (Commands.run(List.of("id", "-u", "oqto"), Duration.ofSeconds(10)).exit() != 0) {
            Commands.runOk(List.of("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "oqto"));
            createdServiceUser = true;
        }
        if (!Files.exists(SANDBOX_POLICY)) {
            Files.createDirectories(SANDBOX_POLICY.getParent());
            Files.writeString(SANDBOX_POLICY, "enabled = true\nprofile = \"development\"\n");
            createdSandboxPolicy = true;
        }
        llm = new FakeLlm(0);
        work = Files.createTempDirectory(Path.of("/tmp"), "oqto-pv-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        controlPlane = Distribution.unpack("oqto.controlPlane.tarball", work.resolve("cp"));
        Distribution runnerDist = Distribution.unpack("oqto.runner.tarball", work.resolve("runner"));
        helperDist = Distribution.unpack("oqto.controlPlane.tarball", work.resolve("helper"));
        Path skel = Files.createDirectories(work.resolve("skel"));
        Files.writeString(skel.resolve(".from-skeleton"), "copied from the skeleton\n");
        Path services = Files.createDirectories(work.resolve("services"));
        for (String s : List.of("eavs", "hstry", "mmry")) {
            // Stand-ins for the real services (not installable here): they only run, as the user, for ordering.
            Path script = Files.writeString(services.resolve(s), "#!/bin/sh\nexec sleep 2147483647\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path state = Files.createDirectories(work.resolve("state"));
        helperSocket = work.resolve("run/usermgr.sock");
        port = Commands.freePort();
        config = Files.writeString(work.resolve("config.toml"), String.join("\n",
                "[server]", "port = " + port, "state_dir = \"" + state + "\"",
                "[runner]", "control_plane_user = \"oqto\"",
                "[routing]", "request_timeout_ms = 5000",
                "[programs]", "pi = \"" + pi + "\"",
                "[agent]", "providers = [\"fake openai-completions " + llm.baseUrl() + " literal:test-key " + FakeLlm.MODEL + "\"]",
                "[usermgr]", "socket = \"" + helperSocket + "\"", "group = \"" + group + "\"", "skeleton = \"" + skel + "\"",
                "linger_dir = \"" + work.resolve("linger") + "\"", "service_manager = \"supervise\"",
                "runner_command = \"" + runnerDist.home.resolve("bin/oqto-runner") + "\"",
                "eavs_command = [\"" + services.resolve("eavs") + "\"]", "hstry_command = [\"" + services.resolve("hstry") + "\"]",
                "mmry_command = [\"" + services.resolve("mmry") + "\"]", "ready_timeout_ms = 90000", ""));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Commands.runOk(List.of("chown", "-R", "oqto", controlPlane.home.toString(), state.toString()));

        helperLog = work.resolve("usermgr.log");
        Process helper = helperDist.start("oqto-usermgr", List.of("--config", config.toString()),
                Map.of("JAVA_HOME", System.getProperty("java.home")), helperLog);
        Commands.waitFor("the helper's socket", WAIT, () -> {
            if (!helper.isAlive()) {
                throw new AssertionError("oqto-usermgr exited with " + helper.exitValue() + Commands.tails(helperLog));
            }
            return Commands.read(helperLog).contains("oqto-usermgr listening");
        }, helperLog);

        cpLog = work.resolve("cp.log");
        cpEnv = Map.of("HOME", state.toString(), "OQTO_CONFIG", config.toString(), "OQTO_MODE", "multi-user",
                "JAVA_HOME", System.getProperty("java.home"), "JOURNAL_STREAM", "8:4242");
        startControlPlane();
        adminToken = Commands.printedToken(shell("oqto:token-create --role admin ops"));
    }

    private void startControlPlane() throws Exception {
        controlPlane.startAs("oqto", "oqto", List.of(), cpEnv, cpLog);
        Commands.waitFor("control plane health", WAIT, () -> status("/api/health") == 200, cpLog);
    }

    private Commands.Result shell(String command) throws Exception {
        return Commands.run(List.of(controlPlane.home.resolve("bin/oqto-shell").toString(), command),
                Duration.ofSeconds(180));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            Distribution.stopAll(controlPlane, helperDist);
            if (llm != null) {
                llm.close();
            }
        } finally {
            for (String u : List.of("oqto_" + alice, "oqto_" + bob)) {
                if (Commands.run(List.of("id", "-u", u), Duration.ofSeconds(10)).exit() == 0) {
                    int uid = Commands.uidOf(u);
                    Commands.run(List.of("pkill", "-KILL", "-u", u), Duration.ofSeconds(10));
                    Commands.run(List.of("userdel", "-r", u), Duration.ofSeconds(30));
                    Commands.removeUsersAndTree(List.of(), Path.of("/run/user/" + uid));
                }
                Commands.removeUsersAndTree(List.of(), Path.of("/home", u));
            }
            if (createdServiceUser) {
                // Karaf's launcher probes the Java version with JVMs that leave their perf-data directory.
                Commands.removeUsersAndTree(List.of(), Path.of("/tmp/hsperfdata_oqto"));
            }
            Commands.run(List.of("groupdel", group), Duration.ofSeconds(10));
            if (createdServiceUser) {
                Commands.run(List.of("userdel", "oqto"), Duration.ofSeconds(30));
            }
            if (createdSandboxPolicy) {
                Files.deleteIfExists(SANDBOX_POLICY);
                Files.deleteIfExists(SANDBOX_POLICY.getParent());
            }
            Commands.removeUsersAndTree(List.of(), work);
        }
    }

    @Test
    @Order(1)
    void provisioningThroughRestAndOqtoctlGivesEachUserTheirOwnRunner() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/admin/users", "{\"name\":\"" + alice + "\",\"email\":\"alice@example.com\"}",
                adminToken);
        assertEquals(201, created.statusCode(), created.body() + Commands.tails(helperLog));
        assertTrue(created.body().contains("\"linux_user\":\"oqto_" + alice + "\""), created.body());
        assertTrue(created.body().contains("\"steps\":[\"create-user\",\"record\",\"set-linger\",\"prepare-runtime\",\"start-services\","
                + "\"wait-for-runner\",\"issue-token\"]"), created.body());
        aliceToken = created.body().replaceAll(".*\"token\":\"(oqto_[^\"]+)\".*", "$1");
        assertEquals(200, send("GET", "/api/v1/users/me/runner", null, aliceToken).statusCode(), "the returned token works");

        HttpResponse<String> again = send("POST", "/api/v1/admin/users", "{\"name\":\"" + alice + "\",\"email\":\"alice@example.com\"}",
                adminToken);
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("\"created\":false") && again.body().contains("\"token\":null"), "converged: " + again.body());

        // Through a link, as systemd/install puts it on the PATH.
        Path linked = Files.createSymbolicLink(Files.createDirectories(work.resolve("bin")).resolve("oqtoctl"),
                controlPlane.home.resolve("bin/oqtoctl"));
        Commands.Result ctl = Commands.run(List.of(linked.toString(), "user", "create", bob,
                "--email", "bob@example.com"), Duration.ofSeconds(180));
        assertEquals(0, ctl.exit(), ctl.output());
        assertTrue(ctl.output().contains("created " + bob + ": Linux user oqto_" + bob), ctl.output());
        Commands.printedToken(ctl);

        for (String u : List.of(alice, bob)) {
            String linux = "oqto_" + u;
            int uid = Commands.uidOf(linux);
            uids.add(uid);
            HttpResponse<String> runner = send("GET", "/api/v1/users/" + u + "/runner", null, adminToken);
            assertEquals(200, runner.statusCode(), runner.body());
            assertTrue(runner.body().contains("/run/user/" + uid + "/oqto-runner.sock"), runner.body());
            assertEquals(uid, uidOfProcess(pidIn(runner.body())), "the runner of " + u + " runs as " + linux);
            Path home = Path.of("/home", linux);
            assertEquals("copied from the skeleton\n", Files.readString(home.resolve(".from-skeleton")));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
            // The runtime directory is the user's alone, but for one pass-through grant to the control plane.
            assertEquals("user::rwx\nuser:oqto:--x\ngroup::---\nmask::--x\nother::---\n\n",
                    Commands.runOk(List.of("getfacl", "--omit-header", "--absolute-names", "/run/user/" + uid)).output());
            assertTrue(Commands.runOk(List.of("id", "-nG", linux)).output().contains(group), "in the platform group");
            String status = helper("{\"cmd\":\"service-status\",\"args\":{\"username\":\"" + linux + "\"}}");
            for (String s : List.of("eavs", "hstry", "mmry", "oqto-runner")) {
                assertTrue(status.contains("\"" + s + "\":{\"state\":\"running\""), s + " runs: " + status);
            }
        }
        JournalLines.assertPrefixed(cpLog);
        Commands.Result list = Commands.run(List.of(controlPlane.home.resolve("bin/oqtoctl").toString(), "user", "list"),
                Duration.ofSeconds(120));
        assertTrue(list.output().contains(alice) && list.output().contains(bob) && list.output().contains("active"), list.output());
    }

    @Test
    @Order(2)
    void usersCannotReachEachOther() throws Exception {
        String aliceLinux = "oqto_" + alice;
        Path secret = Path.of("/home", aliceLinux, "oqto", "secret.txt");
        Files.writeString(secret, "ALICE-PRIVATE\n");
        Commands.runOk(List.of("chown", aliceLinux, secret.toString()));

        // A process of bob cannot connect to alice's runner socket.
        Path probe = work.resolve("PeerProbe.java");
        Files.copy(Path.of("src/test/resources/PeerProbe.java"), probe, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Commands.Result connect = Commands.run(List.of("runuser", "-u", "oqto_" + bob, "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", probe.toString(),
                "/run/user/" + uids.get(0) + "/oqto-runner.sock"), Duration.ofSeconds(60));
        assertTrue(connect.output().contains("connect failed") && connect.output().contains("Permission denied"), connect.output());

        // The control plane's user cannot read alice's home.
        Commands.Result cp = Commands.run(List.of("runuser", "-u", "oqto", "--", "cat", secret.toString()), Duration.ofSeconds(10));
        assertNotEquals(0, cp.exit());
        assertTrue(cp.output().contains("Permission denied") && !cp.output().contains("ALICE-PRIVATE"), cp.output());
        long cpJava = controlPlaneJava();
        assertEquals(Commands.uidOf("oqto"), uidOfProcess(cpJava), "the control plane runs as oqto");

        // Alice's token reaches neither bob's runner nor user management.
        assertEquals(403, send("GET", "/api/v1/users/" + bob + "/runner", null, aliceToken).statusCode());
        assertEquals(403, send("GET", "/api/v1/users/" + bob + "/processes", null, aliceToken).statusCode());
        assertEquals(403, send("GET", "/api/v1/admin/users", null, aliceToken).statusCode());

        // Bob's sandboxed agent cannot read alice's home.
        HttpResponse<String> session = send("POST", "/api/v1/users/" + bob + "/sessions", "{\"session\":\"peek\",\"provider\":\"fake\","
                + "\"model\":\"" + FakeLlm.MODEL + "\"}", adminToken);
        assertEquals(201, session.statusCode(), session.body());
        try (SseClient sse = new SseClient(http, "http://127.0.0.1:" + port + "/api/v1/users/" + bob + "/sessions/peek/events",
                adminToken, null)) {
            sse.await(e -> e.name().equals("session.state") && e.data().contains("\"state\":\"idle\""), "idle", WAIT);
            assertEquals(200, send("POST", "/api/v1/users/" + bob + "/sessions/peek/prompt",
                    "{\"message\":\"run: id -un; cat " + secret + "\"}", adminToken).statusCode());
            SseClient.Event tool = sse.await(SseClient.named("tool.end"), "the tool's end", WAIT);
            assertTrue(tool.data().contains("oqto_" + bob), "the agent runs as bob: " + tool.data());
            assertFalse(tool.data().contains("ALICE-PRIVATE"), tool.data());
            assertTrue(tool.data().contains("Permission denied") || tool.data().contains("No such file"), tool.data());
        }
    }

    @Test
    @Order(3)
    void theHelperRejectsHostileRequestsAndCreatesNothing() throws Exception {
        List<String> homesBefore = homes();
        String passwdBefore = Files.readString(Path.of("/etc/passwd"));
        String[][] cases = {
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"root\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"root\" must start with oqto_ and have a name after it"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_x;rm -rf /\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"oqto_x;rm -rf /\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_../etc\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"oqto_../etc\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"/home/oqto_x\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"/home/oqto_x\" must start with oqto_ and have a name after it"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_$(id)\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"oqto_$(id)\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + tag + "\",\"uid\":0,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: uid 0 is outside 2000-60000"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + tag + "\",\"uid\":99999,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: uid 99999 is outside 2000-60000"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + tag + "\",\"uid\":null,\"shell\":\"/tmp/evil\",\"comment\":\"x\"}}",
                "rejected: shell \"/tmp/evil\" is not one of [/bin/bash, /bin/sh, /bin/zsh, /usr/bin/bash, /usr/bin/sh, /usr/bin/zsh, /bin/false, /usr/sbin/nologin]"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + tag + "\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x:0:0:root\"}}",
                "rejected: comment may not contain ':', ',', '=' or control characters"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + tag + "\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\""
                + "c".repeat(5000) + "\"}}", "rejected: comment must be 1-256 characters"},
            {"{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + tag + "\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\","
                + "\"home\":\"/root\"}}", "rejected: unknown argument \"home\" (this command takes [comment, shell, uid, username])"},
            {"{\"cmd\":\"run-as-user\",\"args\":{\"username\":\"oqto_" + bob + "\"}}",
                "rejected: unknown command run-as-user (known: create-user, delete-user, set-linger, prepare-runtime, start-services, "
                    + "stop-services, service-status, ping)"},
            {"{\"cmd\":\"delete-user\",\"args\":{\"username\":\"oqto\",\"keep_home\":false}}",
                "rejected: username \"oqto\" must start with oqto_ and have a name after it"},
            {"{\"cmd\":\"delete-user\",\"args\":{\"username\":\"oqto_nobody" + tag + "\",\"keep_home\":\"yes\"}}",
                "rejected: keep_home must be true or false"},
            {"[1,2]", "a request is a JSON object {\"cmd\": …, \"args\": {…}}"},
            {"{\"cmd\":", "not JSON: Unexpected end-of-input within/between Object entries"},
            {"{\"cmd\":\"ping\",\"cmd\":\"delete-user\",\"args\":{}}", "not JSON: Duplicate field 'cmd'"},
            {"x".repeat(70_000), "request longer than 65536 bytes"},
        };
        for (String[] c : cases) {
            String reply = helper(c[0]);
            assertEquals("{\"ok\":false,\"error\":" + jsonString(c[1]) + "}", reply, c[0].length() > 200 ? c[0].substring(0, 200) : c[0]);
        }
        // An account the helper did not make is not a platform user, whatever its name.
        Commands.createUser("oqto_n" + tag);
        try {
            assertEquals("{\"ok\":false,\"error\":\"rejected: user oqto_n" + tag + " (uid " + Commands.uidOf("oqto_n" + tag)
                    + ") is not a platform user\"}", helper("{\"cmd\":\"delete-user\",\"args\":{\"username\":\"oqto_n" + tag
                    + "\",\"keep_home\":false}}"));
            assertEquals(0, Commands.run(List.of("id", "-u", "oqto_n" + tag), Duration.ofSeconds(10)).exit(), "still there");
            // Provisioning a platform user onto it fails at its first step, and leaves no record behind.
            HttpResponse<String> refused = send("POST", "/api/v1/admin/users", "{\"name\":\"n" + tag
                    + "\",\"email\":\"n@example.com\"}", adminToken);
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("\"code\":\"invalid_user\"") && refused.body().contains("is not a platform user"),
                    refused.body());
            assertEquals(404, send("GET", "/api/v1/admin/users/n" + tag, null, adminToken).statusCode(), "no record");
        } finally {
            Commands.removeUsersAndTree(List.of("oqto_n" + tag), null);
        }
        assertEquals(homesBefore, homes(), "no home was created");
        assertEquals(passwdBefore, Files.readString(Path.of("/etc/passwd")), "no account was created or changed");

        // Nobody but root and oqto may use the helper, even where the socket file would let them connect.
        Files.setPosixFilePermissions(helperSocket, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            Commands.Result stranger = Commands.run(List.of("runuser", "-u", "oqto_" + bob, "--",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", work.resolve("PeerProbe.java").toString(),
                    helperSocket.toString()), Duration.ofSeconds(60));
            assertTrue(stranger.output().contains("{\"ok\":false,\"error\":\"refused: user oqto_" + bob + " may not use oqto-usermgr\"}"),
                    stranger.output());
        } finally {
            Files.setPosixFilePermissions(helperSocket, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    @Order(4)
    void aKilledRunnerIsRestartedWithoutOrphansAndTheControlPlaneReconnects() throws Exception {
        HttpResponse<String> spawned = send("POST", "/api/v1/users/" + alice + "/processes",
                "{\"name\":\"sleeper\",\"argv\":[\"/bin/sleep\",\"3600\"]}", adminToken);
        assertEquals(201, spawned.statusCode(), spawned.body());
        long sleeper = pidIn(spawned.body());
        long oldRunner = pidIn(send("GET", "/api/v1/users/" + alice + "/runner", null, adminToken).body());
        List<ProcessHandle> oldTree = ProcessHandle.of(oldRunner).orElseThrow().descendants().toList();
        assertTrue(oldTree.stream().anyMatch(h -> h.pid() == sleeper), "the sleeper is the runner's");

        long killed = System.nanoTime();
        Commands.runOk(List.of("kill", "-KILL", Long.toString(oldRunner)));
        long[] newRunner = {0};
        Commands.waitFor("a new runner of alice answering", Duration.ofSeconds(10), () -> {
            try {
                HttpResponse<String> r = send("GET", "/api/v1/users/" + alice + "/runner", null, adminToken);
                newRunner[0] = r.statusCode() == 200 ? pidIn(r.body()) : 0;
                return newRunner[0] != 0 && newRunner[0] != oldRunner;
            } catch (Exception e) {
                return false;
            }
        }, helperLog);
        System.out.printf("runner restarted and answering %d ms after SIGKILL%n", (System.nanoTime() - killed) / 1_000_000);
        assertEquals(uids.get(0), uidOfProcess(newRunner[0]));
        for (ProcessHandle h : oldTree) {
            Commands.waitFor("process " + h.pid() + " of the old runner to end", Duration.ofSeconds(10), () -> !h.isAlive());
        }
        assertEquals("[]", send("GET", "/api/v1/users/" + alice + "/processes", null, adminToken).body(), "the new runner starts empty");
    }

    @Test
    @Order(5)
    void runnersAndSessionsOutliveAKilledControlPlane() throws Exception {
        long bobRunner = pidIn(send("GET", "/api/v1/users/" + bob + "/runner", null, adminToken).body());
        Commands.runOk(List.of("kill", "-KILL", Long.toString(controlPlaneJava())));
        Commands.waitFor("the control plane to be gone", Duration.ofSeconds(20), () -> status("/api/health") == -1);
        assertTrue(ProcessHandle.of(bobRunner).map(ProcessHandle::isAlive).orElse(false), "bob's runner keeps running");

        startControlPlane();
        HttpResponse<String> runner = send("GET", "/api/v1/users/" + bob + "/runner", null, adminToken);
        assertEquals(200, runner.statusCode(), runner.body());
        assertEquals(bobRunner, pidIn(runner.body()), "the same runner, reached again");
        HttpResponse<String> sessions = send("GET", "/api/v1/users/" + bob + "/sessions", null, adminToken);
        assertTrue(sessions.body().contains("\"id\":\"peek\"") && sessions.body().contains("\"state\":\"idle\""),
                "the agent session is still there: " + sessions.body());
    }

    @Test
    @Order(6)
    void deletingAUserLeavesNothingBehind() throws Exception {
        String linux = "oqto_" + alice;
        int uid = uids.get(0);
        HttpResponse<String> deleted = send("DELETE", "/api/v1/admin/users/" + alice, null, adminToken);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertTrue(deleted.body().contains("\"existed\":true"), deleted.body());
        assertNotEquals(0, Commands.run(List.of("id", "-u", linux), Duration.ofSeconds(10)).exit(), "no Linux user");
        assertEquals(1, Commands.run(List.of("pgrep", "-u", Integer.toString(uid)), Duration.ofSeconds(10)).exit(), "no process");
        assertFalse(Files.exists(Path.of("/run/user/" + uid)), "no runtime directory, no socket");
        assertFalse(Files.exists(Path.of("/home", linux)), "no home");
        assertFalse(Files.exists(work.resolve("linger").resolve(linux)), "no lingering");
        assertEquals("{\"ok\":false,\"error\":\"rejected: no such user " + linux + "\"}",
                helper("{\"cmd\":\"service-status\",\"args\":{\"username\":\"" + linux + "\"}}"), "no services");
        assertEquals(401, send("GET", "/api/v1/users/me/runner", null, aliceToken).statusCode(), "the token is revoked");
        assertEquals(404, send("GET", "/api/v1/users/" + alice + "/runner", null, adminToken).statusCode());
        HttpResponse<String> again = send("DELETE", "/api/v1/admin/users/" + alice, null, adminToken);
        assertTrue(again.statusCode() == 200 && again.body().contains("\"existed\":false"), "deleting again is harmless: " + again.body());
        assertTrue(send("GET", "/api/v1/users/" + bob + "/runner", null, adminToken).statusCode() == 200, "bob is untouched");
    }

    @Test
    @Order(7)
    void aRestartedHelperRestartsLingeringUsersCleanly() throws Exception {
        long oldRunner = pidIn(send("GET", "/api/v1/users/" + bob + "/runner", null, adminToken).body());
        List<ProcessHandle> oldTree = new ArrayList<>(ProcessHandle.of(oldRunner).orElseThrow().descendants().toList());
        oldTree.add(ProcessHandle.of(oldRunner).orElseThrow());
        long helperPid = ProcessHandle.of(oldRunner).orElseThrow().parent().orElseThrow().pid();
        Commands.runOk(List.of("kill", "-KILL", Long.toString(helperPid)));
        assertTrue(ProcessHandle.of(oldRunner).map(ProcessHandle::isAlive).orElse(false), "the orphaned runner still runs");
        ProcessHandle.of(helperPid).ifPresent(h -> h.onExit().join());

        // Without the helper, provisioning says why and records nothing.
        HttpResponse<String> noHelper = send("POST", "/api/v1/admin/users", "{\"name\":\"c" + tag + "\",\"email\":\"c@example.com\"}",
                adminToken);
        assertEquals(503, noHelper.statusCode(), noHelper.body());
        assertTrue(noHelper.body().contains("\"code\":\"provisioning_unavailable\"")
                && noHelper.body().contains("the root helper oqto-usermgr does not answer on " + helperSocket), noHelper.body());
        assertEquals(404, send("GET", "/api/v1/admin/users/c" + tag, null, adminToken).statusCode());

        Process helper = helperDist.start("oqto-usermgr", List.of("--config", config.toString()),
                Map.of("JAVA_HOME", System.getProperty("java.home")), helperLog);
        long[] newRunner = {0};
        Commands.waitFor("bob's runner, restarted by the new helper", WAIT, () -> {
            if (!helper.isAlive()) {
                throw new AssertionError("oqto-usermgr exited" + Commands.tails(helperLog));
            }
            try {
                HttpResponse<String> r = send("GET", "/api/v1/users/" + bob + "/runner", null, adminToken);
                newRunner[0] = r.statusCode() == 200 ? pidIn(r.body()) : 0;
                return newRunner[0] != 0 && newRunner[0] != oldRunner;
            } catch (Exception e) {
                return false;
            }
        }, helperLog);
        assertTrue(Commands.read(helperLog).contains("oqto_" + bob + ": ending the processes an earlier helper left running"));
        for (ProcessHandle h : oldTree) {
            assertFalse(h.isAlive(), "process " + h.pid() + " of the unsupervised runner is gone");
        }
        assertEquals(helper.pid(), ProcessHandle.of(newRunner[0]).orElseThrow().parent().orElseThrow().pid(),
                "the new runner is the new helper's");
    }

    @Test
    @Order(8)
    void oqtoctlDisablesEnablesAndDeletes() throws Exception {
        String ctl = controlPlane.home.resolve("bin/oqtoctl").toString();
        String bobToken = Commands.printedToken(shell("oqto:token-create " + bob));
        Commands.Result disabled = Commands.run(List.of(ctl, "user", "disable", bob), Duration.ofSeconds(120));
        assertEquals(0, disabled.exit(), disabled.output());
        assertTrue(disabled.output().contains("disabled " + bob + ": tokens revoked, services stopped"), disabled.output());
        assertEquals(401, send("GET", "/api/v1/users/me/runner", null, bobToken).statusCode(), "the token is revoked");
        assertEquals(503, send("GET", "/api/v1/users/" + bob + "/runner", null, adminToken).statusCode(), "the runner is stopped");
        assertTrue(helper("{\"cmd\":\"service-status\",\"args\":{\"username\":\"oqto_" + bob + "\"}}")
                .contains("\"oqto-runner\":{\"state\":\"stopped\"}"));
        assertTrue(send("GET", "/api/v1/admin/users/" + bob, null, adminToken).body().contains("\"state\":\"disabled\""));

        Commands.Result enabled = Commands.run(List.of(ctl, "user", "enable", bob), Duration.ofSeconds(120));
        assertEquals(0, enabled.exit(), enabled.output());
        assertEquals(200, send("GET", "/api/v1/users/" + bob + "/runner", null, adminToken).statusCode(), "the runner answers again");

        Commands.Result deleted = Commands.run(List.of(ctl, "user", "delete", "--keep-home", bob), Duration.ofSeconds(120));
        assertEquals(0, deleted.exit(), deleted.output());
        assertTrue(deleted.output().contains("deleted " + bob + " (home kept)"), deleted.output());
        assertNotEquals(0, Commands.run(List.of("id", "-u", "oqto_" + bob), Duration.ofSeconds(10)).exit(), "no Linux user");
        Path home = Path.of("/home/oqto_" + bob);
        assertTrue(Files.isRegularFile(home.resolve(".from-skeleton")), "the home is kept");
        assertEquals(uids.get(1), (Integer) Files.getAttribute(home, "unix:uid"), "still owned by bob's old uid");
        Commands.removeUsersAndTree(List.of(), home);
        Commands.Result refused = Commands.run(List.of(ctl, "user", "create", "d" + tag, "--email", "d@example.c"),
                Duration.ofSeconds(120));
        assertNotEquals(0, refused.exit(), "a refused provisioning fails the command: " + refused.output());
        assertTrue(refused.output().contains("email d@example.c is not an address like alice@example.com"), refused.output());
        Commands.Result bad = Commands.run(List.of(ctl, "user", "delete", "bob;shutdown"), Duration.ofSeconds(30));
        assertEquals(64, bad.exit());
        assertEquals("oqtoctl: not a user name: 'bob;shutdown' (a-z first, then a-z, 0-9, _ and -)\n", bad.output());
    }

    /** One request to the helper's socket, as root; its one-line answer. */
    private String helper(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(helperSocket))) {
            ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            return new java.io.BufferedReader(new java.io.InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))
                    .readLine();
        }
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<String> homes() throws IOException {
        try (var s = Files.list(Path.of("/home"))) {
            return s.map(Path::toString).sorted().toList();
        }
    }

    private long controlPlaneJava() {
        return ProcessHandle.allProcesses().filter(h -> h.info().command().orElse("").endsWith("/java")
                && h.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(controlPlane.home.toString())
                && h.info().arguments().map(a -> String.join(" ", a)).orElse("").contains("org.apache.karaf.main.Main"))
                .mapToLong(ProcessHandle::pid).findFirst().orElseThrow(() -> new AssertionError("no control-plane JVM"));
    }

    private static long pidIn(String json) {
        return Long.parseLong(json.replaceAll("(?s).*?\"pid\":(\\d+).*", "$1"));
    }

    private static int uidOfProcess(long pid) throws IOException {
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        return Integer.parseInt(status.replaceAll("(?s).*\nUid:\t(\\d+)\t.*", "$1"));
    }

    private HttpResponse<String> send(String method, String path, String json, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(150))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}

package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.llm.FakeLlm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    private static final Duration WAIT = MultiUserDeployment.WAIT;

    private MultiUserDeployment d;
    private String alice;
    private String bob;
    private String aliceToken;
    private final List<Integer> uids = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        d = new MultiUserDeployment();
        alice = d.user("a" + d.tag);
        bob = d.user("b" + d.tag);
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    @Test
    @Order(1)
    void provisioningThroughRestAndOqtoctlGivesEachUserTheirOwnRunner() throws Exception {
        HttpResponse<String> created = d.send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"" + alice + "\",\"email\":\"alice@example.com\"}",
                d.adminToken);
        assertEquals(201, created.statusCode(), created.body() + Commands.tails(d.helperLog));
        assertTrue(created.body().contains("\"linux_user\":\"oqto_" + alice + "\""), created.body());
        assertTrue(
                created.body()
                        .contains(
                                "\"steps\":[\"create-user\",\"record\",\"set-linger\",\"prepare-runtime\",\"start-services\","
                                        + "\"wait-for-runner\",\"issue-token\"]"),
                created.body());
        aliceToken = created.body().replaceAll(".*\"token\":\"(oqto_[^\"]+)\".*", "$1");
        assertEquals(
                200,
                d.send("GET", "/api/v1/users/me/runner", null, aliceToken).statusCode(),
                "the returned token works");

        HttpResponse<String> again = d.send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"" + alice + "\",\"email\":\"alice@example.com\"}",
                d.adminToken);
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(
                again.body().contains("\"created\":false") && again.body().contains("\"token\":null"),
                "converged: " + again.body());

        // Through a link, as systemd/install puts it on the PATH.
        Path linked = Files.createSymbolicLink(
                Files.createDirectories(d.work.resolve("bin")).resolve("oqtoctl"),
                d.controlPlane.home.resolve("bin/oqtoctl"));
        Commands.Result ctl = Commands.run(
                List.of(linked.toString(), "user", "create", bob, "--email", "bob@example.com"), Duration.ofMinutes(3));
        assertEquals(0, ctl.exit(), ctl.output());
        assertTrue(ctl.output().contains("created " + bob + ": Linux user oqto_" + bob), ctl.output());
        Commands.printedToken(ctl);

        for (String u : List.of(alice, bob)) {
            String linux = "oqto_" + u;
            int uid = Commands.uidOf(linux);
            uids.add(uid);
            HttpResponse<String> runner = d.send("GET", "/api/v1/users/" + u + "/runner", null, d.adminToken);
            assertEquals(200, runner.statusCode(), runner.body());
            assertTrue(runner.body().contains("/run/user/" + uid + "/oqto-runner.sock"), runner.body());
            assertEquals(
                    uid,
                    MultiUserDeployment.uidOfProcess(MultiUserDeployment.pidIn(runner.body())),
                    "the runner of " + u + " runs as " + linux);
            Path home = Path.of("/home", linux);
            assertEquals("copied from the skeleton\n", Files.readString(home.resolve(".from-skeleton")));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
            // The runtime directory is the user's alone, but for one pass-through grant to the control plane.
            assertEquals(
                    "user::rwx\nuser:oqto:--x\ngroup::---\nmask::--x\nother::---\n\n",
                    Commands.runOk(List.of("getfacl", "--omit-header", "--absolute-names", "/run/user/" + uid))
                            .output());
            assertTrue(Commands.runOk(List.of("id", "-nG", linux)).output().contains(d.group), "in the platform group");
            String status = helper("{\"cmd\":\"service-status\",\"args\":{\"username\":\"" + linux + "\"}}");
            for (String s : List.of("eavs", "hstry", "mmry", "oqto-runner")) {
                assertTrue(status.contains("\"" + s + "\":{\"state\":\"running\""), s + " runs: " + status);
            }
        }
        JournalLines.assertPrefixed(d.cpLog);
        Commands.Result list = Commands.run(
                List.of(d.controlPlane.home.resolve("bin/oqtoctl").toString(), "user", "list"), Duration.ofMinutes(2));
        assertTrue(
                list.output().contains(alice)
                        && list.output().contains(bob)
                        && list.output().contains("active"),
                list.output());
    }

    @Test
    @Order(2)
    void theMetricsAreValidPrometheusTextAndMoveWithRequests() throws Exception {
        assertEquals(401, d.send("GET", "/api/v1/metrics", null, null).statusCode(), "no token, no metrics");
        HttpResponse<String> refused = d.send("GET", "/api/v1/metrics", null, aliceToken);
        assertEquals(403, refused.statusCode(), refused.body());
        String first = scrape();
        promtoolAccepts(first);
        assertEquals(2.0, sample(first, "oqto_users"), first);
        assertEquals(2.0, sample(first, "oqto_runners{state=\"up\"}"), first);
        assertEquals(0.0, sample(first, "oqto_runners{state=\"down\"}"), first);
        // Three provisionings: alice through REST, alice again (converged, no change) and bob through oqtoctl.
        assertEquals(3.0, sample(first, "oqto_provisioning_duration_seconds_count{outcome=\"ok\"}"), first);
        assertTrue(first.contains("jvm_memory_used_bytes{area=\"heap\"}"), "the JVM's own figures");

        String ping =
                "oqto_rest_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/users/{user}/runner/ping\","
                        + "status=\"200\"}";
        String runnerPing = "oqto_runner_round_trip_duration_seconds_count{outcome=\"ok\",type=\"ping\"}";
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    200,
                    d.send("POST", "/api/v1/users/me/runner/ping", null, aliceToken)
                            .statusCode());
        }
        HttpResponse<String> spawned = d.send(
                "POST",
                "/api/v1/users/me/processes",
                "{\"name\":\"sleeper\",\"argv\":[\"/bin/sleep\",\"300\"]}",
                aliceToken);
        assertEquals(201, spawned.statusCode(), spawned.body());
        try (SseClient events =
                new SseClient(d.http, d.api.url("/api/v1/users/me/processes/sleeper/events"), aliceToken, null)) {
            assertEquals(200, events.status);
            String second = scrape();
            promtoolAccepts(second);
            assertEquals(sampleOrZero(first, ping) + 5, sample(second, ping), second);
            assertEquals(sampleOrZero(first, runnerPing) + 5, sample(second, runnerPing), second);
            assertEquals(
                    1.0, sample(second, "oqto_spawn_duration_seconds_count{kind=\"process\",outcome=\"ok\"}"), second);
            assertEquals(1.0, sample(second, "oqto_processes"), second);
            assertEquals(1.0, sample(second, "oqto_sse_clients"), second);
            assertEquals(1.0, sample(second, "oqto_runner_subscriptions"), second);
        }
        assertEquals(
                200,
                d.send("POST", "/api/v1/users/me/processes/sleeper/stop", null, aliceToken)
                        .statusCode());
        Commands.waitFor(
                "the stream and the process gone from the metrics",
                WAIT,
                () -> {
                    String now = scrape();
                    return sample(now, "oqto_sse_clients") == 0.0 && sample(now, "oqto_processes") == 0.0;
                },
                d.cpLog);
    }

    private String scrape() {
        try {
            HttpResponse<String> r = d.send("GET", "/api/v1/metrics", null, d.adminToken);
            assertEquals(200, r.statusCode(), r.body());
            // Prometheus's text format, whatever order the parameters come in.
            assertEquals(
                    java.util.Set.of("text/plain", "version=0.0.4", "charset=utf-8"),
                    java.util.Set.of(r.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .replace(" ", "")
                            .split(";", -1)));
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Prometheus's own checker (promtool from Debian's prometheus package, unpacked by install-test-deps). */
    private static void promtoolAccepts(String metrics) throws Exception {
        Path promtool = Path.of("../../.tools/prometheus/usr/bin/promtool")
                .toAbsolutePath()
                .normalize();
        assertTrue(Files.isExecutable(promtool), "promtool is unpacked by scripts/install-test-deps at " + promtool);
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = p.getOutputStream()) {
            in.write(metrics.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "promtool ended");
        assertEquals(0, p.exitValue(), "promtool check metrics: " + said);
        assertEquals("", said.strip(), "promtool found nothing to say");
    }

    /** The value of one sample line ({@code name{labels} value}); fails when the scrape lacks it. */
    private static double sample(String scrape, String series) {
        Double v = sampleOf(scrape, series);
        assertNotNull(v, series + " in the scrape:\n" + scrape);
        return v;
    }

    private static double sampleOrZero(String scrape, String series) {
        Double v = sampleOf(scrape, series);
        return v == null ? 0.0 : v;
    }

    private static Double sampleOf(String scrape, String series) {
        for (String line : scrape.split("\n", -1)) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return null;
    }

    @Test
    @Order(3)
    void usersCannotReachEachOther() throws Exception {
        String aliceLinux = "oqto_" + alice;
        Path secret = Path.of("/home", aliceLinux, "oqto", "secret.txt");
        Files.writeString(secret, "ALICE-PRIVATE\n");
        Commands.runOk(List.of("chown", aliceLinux, secret.toString()));

        // A process of bob cannot connect to alice's runner socket.
        Path probe = d.work.resolve("PeerProbe.java");
        Files.copy(Path.of("src/test/resources/PeerProbe.java"), probe, StandardCopyOption.REPLACE_EXISTING);
        Commands.Result connect = Commands.run(
                List.of(
                        "runuser",
                        "-u",
                        "oqto_" + bob,
                        "--",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:-UsePerfData",
                        probe.toString(),
                        "/run/user/" + uids.get(0) + "/oqto-runner.sock"),
                Duration.ofMinutes(1));
        assertTrue(
                connect.output().contains("connect failed") && connect.output().contains("Permission denied"),
                connect.output());

        // The control plane's user cannot read alice's home.
        Commands.Result cp =
                Commands.run(List.of("runuser", "-u", "oqto", "--", "cat", secret.toString()), Duration.ofSeconds(10));
        assertNotEquals(0, cp.exit());
        assertTrue(cp.output().contains("Permission denied") && !cp.output().contains("ALICE-PRIVATE"), cp.output());
        long cpJava = d.controlPlaneJava();
        assertEquals(
                Commands.uidOf("oqto"), MultiUserDeployment.uidOfProcess(cpJava), "the control plane runs as oqto");

        // Alice's token reaches neither bob's runner nor user management.
        assertEquals(
                403,
                d.send("GET", "/api/v1/users/" + bob + "/runner", null, aliceToken)
                        .statusCode());
        assertEquals(
                403,
                d.send("GET", "/api/v1/users/" + bob + "/processes", null, aliceToken)
                        .statusCode());
        assertEquals(403, d.send("GET", "/api/v1/admin/users", null, aliceToken).statusCode());

        // Bob's sandboxed agent cannot read alice's home.
        HttpResponse<String> session = d.send(
                "POST",
                "/api/v1/users/" + bob + "/sessions",
                "{\"session\":\"peek\",\"provider\":\"fake\"," + "\"model\":\"" + FakeLlm.MODEL + "\"}",
                d.adminToken);
        assertEquals(201, session.statusCode(), session.body());
        try (SseClient sse = new SseClient(
                d.http,
                "http://127.0.0.1:" + d.port + "/api/v1/users/" + bob + "/sessions/peek/events",
                d.adminToken,
                null)) {
            sse.await(e -> e.name().equals("session.state") && e.data().contains("\"state\":\"idle\""), "idle", WAIT);
            assertEquals(
                    200,
                    d.send(
                                    "POST",
                                    "/api/v1/users/" + bob + "/sessions/peek/prompt",
                                    "{\"message\":\"run: id -un; cat " + secret + "\"}",
                                    d.adminToken)
                            .statusCode());
            SseClient.Event tool = sse.await(SseClient.named("tool.end"), "the tool's end", WAIT);
            assertTrue(tool.data().contains("oqto_" + bob), "the agent runs as bob: " + tool.data());
            assertFalse(tool.data().contains("ALICE-PRIVATE"), tool.data());
            assertTrue(tool.data().contains("Permission denied") || tool.data().contains("No such file"), tool.data());
        }
    }

    @Test
    @Order(4)
    void theHelperRejectsHostileRequestsAndCreatesNothing() throws Exception {
        List<String> homesBefore = homes();
        String passwdBefore = Files.readString(Path.of("/etc/passwd"));
        String[][] cases = {
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"root\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"root\" must start with oqto_ and have a name after it"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_x;rm -rf /\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"oqto_x;rm -rf /\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_../etc\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"oqto_../etc\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"/home/oqto_x\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"/home/oqto_x\" must start with oqto_ and have a name after it"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_$(id)\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: username \"oqto_$(id)\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + d.tag
                        + "\",\"uid\":0,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: uid 0 is outside 2000-60000"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + d.tag
                        + "\",\"uid\":99999,\"shell\":\"/bin/bash\",\"comment\":\"x\"}}",
                "rejected: uid 99999 is outside 2000-60000"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + d.tag
                        + "\",\"uid\":null,\"shell\":\"/tmp/evil\",\"comment\":\"x\"}}",
                "rejected: shell \"/tmp/evil\" is not one of [/bin/bash, /bin/sh, /bin/zsh, /usr/bin/bash, /usr/bin/sh, /usr/bin/zsh, /bin/false, /usr/sbin/nologin]"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + d.tag
                        + "\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x:0:0:root\"}}",
                "rejected: comment may not contain ':', ',', '=' or control characters"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + d.tag
                        + "\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"" + "c".repeat(5000) + "\"}}",
                "rejected: comment must be 1-256 characters"
            },
            {
                "{\"cmd\":\"create-user\",\"args\":{\"username\":\"oqto_h" + d.tag
                        + "\",\"uid\":null,\"shell\":\"/bin/bash\",\"comment\":\"x\"," + "\"home\":\"/root\"}}",
                "rejected: unknown argument \"home\" (this command takes [comment, shell, uid, username])"
            },
            {
                "{\"cmd\":\"run-as-user\",\"args\":{\"username\":\"oqto_" + bob + "\"}}",
                "rejected: unknown command run-as-user (known: create-user, delete-user, set-linger, prepare-runtime, start-services, "
                        + "stop-services, service-status, write-eavs-config, write-mmry-config, ping)"
            },
            {
                "{\"cmd\":\"delete-user\",\"args\":{\"username\":\"oqto\",\"keep_home\":false}}",
                "rejected: username \"oqto\" must start with oqto_ and have a name after it"
            },
            {
                "{\"cmd\":\"delete-user\",\"args\":{\"username\":\"oqto_nobody" + d.tag + "\",\"keep_home\":\"yes\"}}",
                "rejected: keep_home must be true or false"
            },
            {"[1,2]", "a request is a JSON object {\"cmd\": …, \"args\": {…}}"},
            {"{\"cmd\":", "not JSON: Unexpected end-of-input within/between Object entries"},
            {"{\"cmd\":\"ping\",\"cmd\":\"delete-user\",\"args\":{}}", "not JSON: Duplicate field 'cmd'"},
            {"x".repeat(70_000), "request longer than 65536 bytes"},
        };
        for (String[] c : cases) {
            String reply = helper(c[0]);
            assertEquals(
                    "{\"ok\":false,\"error\":" + jsonString(c[1]) + "}",
                    reply,
                    c[0].length() > 200 ? c[0].substring(0, 200) : c[0]);
        }
        // An account the helper did not make is not a platform user, whatever its name.
        Commands.createUser("oqto_n" + d.tag);
        try {
            assertEquals(
                    "{\"ok\":false,\"error\":\"rejected: user oqto_n" + d.tag + " (uid "
                            + Commands.uidOf("oqto_n" + d.tag) + ") is not a platform user\"}",
                    helper("{\"cmd\":\"delete-user\",\"args\":{\"username\":\"oqto_n" + d.tag
                            + "\",\"keep_home\":false}}"));
            assertEquals(
                    0,
                    Commands.run(List.of("id", "-u", "oqto_n" + d.tag), Duration.ofSeconds(10))
                            .exit(),
                    "still there");
            // Provisioning a platform user onto it fails at its first step, and leaves no record behind.
            HttpResponse<String> refused = d.send(
                    "POST",
                    "/api/v1/admin/users",
                    "{\"name\":\"n" + d.tag + "\",\"email\":\"n@example.com\"}",
                    d.adminToken);
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(
                    refused.body().contains("\"code\":\"invalid_user\"")
                            && refused.body().contains("is not a platform user"),
                    refused.body());
            assertEquals(
                    404,
                    d.send("GET", "/api/v1/admin/users/n" + d.tag, null, d.adminToken)
                            .statusCode(),
                    "no record");
        } finally {
            Commands.removeUsersAndTree(List.of("oqto_n" + d.tag), null);
        }
        assertEquals(homesBefore, homes(), "no home was created");
        assertEquals(passwdBefore, Files.readString(Path.of("/etc/passwd")), "no account was created or changed");

        // Nobody but root and oqto may use the helper, even where the socket file would let them connect.
        Files.setPosixFilePermissions(d.helperSocket, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            Commands.Result stranger = Commands.run(
                    List.of(
                            "runuser",
                            "-u",
                            "oqto_" + bob,
                            "--",
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:-UsePerfData",
                            d.work.resolve("PeerProbe.java").toString(),
                            d.helperSocket.toString()),
                    Duration.ofMinutes(1));
            assertTrue(
                    stranger.output()
                            .contains("{\"ok\":false,\"error\":\"refused: user oqto_" + bob
                                    + " may not use oqto-usermgr\"}"),
                    stranger.output());
        } finally {
            Files.setPosixFilePermissions(d.helperSocket, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    @Order(5)
    void aKilledRunnerIsRestartedWithoutOrphansAndTheControlPlaneReconnects() throws Exception {
        HttpResponse<String> spawned = d.send(
                "POST",
                "/api/v1/users/" + alice + "/processes",
                "{\"name\":\"sleeper\",\"argv\":[\"/bin/sleep\",\"3600\"]}",
                d.adminToken);
        assertEquals(201, spawned.statusCode(), spawned.body());
        long sleeper = MultiUserDeployment.pidIn(spawned.body());
        long oldRunner =
                MultiUserDeployment.pidIn(d.send("GET", "/api/v1/users/" + alice + "/runner", null, d.adminToken)
                        .body());
        List<ProcessHandle> oldTree =
                ProcessHandle.of(oldRunner).orElseThrow().descendants().toList();
        assertTrue(oldTree.stream().anyMatch(h -> h.pid() == sleeper), "the sleeper is the runner's");

        long killed = System.nanoTime();
        Commands.runOk(List.of("kill", "-KILL", Long.toString(oldRunner)));
        long[] newRunner = {0};
        Commands.waitFor(
                "a new runner of alice answering",
                Duration.ofSeconds(10),
                () -> {
                    try {
                        HttpResponse<String> r =
                                d.send("GET", "/api/v1/users/" + alice + "/runner", null, d.adminToken);
                        newRunner[0] = r.statusCode() == 200 ? MultiUserDeployment.pidIn(r.body()) : 0;
                        return newRunner[0] != 0 && newRunner[0] != oldRunner;
                    } catch (Exception e) {
                        return false;
                    }
                },
                d.helperLog);
        System.out.printf(
                "runner restarted and answering %d ms after SIGKILL%n", (System.nanoTime() - killed) / 1_000_000);
        assertEquals(uids.get(0), MultiUserDeployment.uidOfProcess(newRunner[0]));
        for (ProcessHandle h : oldTree) {
            Commands.waitFor(
                    "process " + h.pid() + " of the old runner to end", Duration.ofSeconds(10), () -> !h.isAlive());
        }
        assertEquals(
                "[]",
                d.send("GET", "/api/v1/users/" + alice + "/processes", null, d.adminToken)
                        .body(),
                "the new runner starts empty");
    }

    @Test
    @Order(6)
    void runnersAndSessionsOutliveAKilledControlPlane() throws Exception {
        long bobRunner = MultiUserDeployment.pidIn(d.send("GET", "/api/v1/users/" + bob + "/runner", null, d.adminToken)
                .body());
        Commands.runOk(List.of("kill", "-KILL", Long.toString(d.controlPlaneJava())));
        Commands.waitFor("the control plane to be gone", Duration.ofSeconds(20), () -> d.status("/api/health") == -1);
        assertTrue(ProcessHandle.of(bobRunner).map(ProcessHandle::isAlive).orElse(false), "bob's runner keeps running");

        d.startControlPlane();
        HttpResponse<String> runner = d.send("GET", "/api/v1/users/" + bob + "/runner", null, d.adminToken);
        assertEquals(200, runner.statusCode(), runner.body());
        assertEquals(bobRunner, MultiUserDeployment.pidIn(runner.body()), "the same runner, reached again");
        HttpResponse<String> sessions = d.send("GET", "/api/v1/users/" + bob + "/sessions", null, d.adminToken);
        assertTrue(
                sessions.body().contains("\"id\":\"peek\"") && sessions.body().contains("\"state\":\"idle\""),
                "the agent session is still there: " + sessions.body());
    }

    @Test
    @Order(7)
    void deletingAUserLeavesNothingBehind() throws Exception {
        String linux = "oqto_" + alice;
        int uid = uids.get(0);
        HttpResponse<String> deleted = d.send("DELETE", "/api/v1/admin/users/" + alice, null, d.adminToken);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertTrue(deleted.body().contains("\"existed\":true"), deleted.body());
        assertNotEquals(
                0,
                Commands.run(List.of("id", "-u", linux), Duration.ofSeconds(10)).exit(),
                "no Linux user");
        assertEquals(
                1,
                Commands.run(List.of("pgrep", "-u", Integer.toString(uid)), Duration.ofSeconds(10))
                        .exit(),
                "no process");
        assertFalse(Files.exists(Path.of("/run/user/" + uid)), "no runtime directory, no socket");
        assertFalse(Files.exists(Path.of("/home", linux)), "no home");
        assertFalse(Files.exists(d.work.resolve("linger").resolve(linux)), "no lingering");
        assertEquals(
                "{\"ok\":false,\"error\":\"rejected: no such user " + linux + "\"}",
                helper("{\"cmd\":\"service-status\",\"args\":{\"username\":\"" + linux + "\"}}"),
                "no services");
        assertEquals(
                401, d.send("GET", "/api/v1/users/me/runner", null, aliceToken).statusCode(), "the token is revoked");
        assertEquals(
                404,
                d.send("GET", "/api/v1/users/" + alice + "/runner", null, d.adminToken)
                        .statusCode());
        HttpResponse<String> again = d.send("DELETE", "/api/v1/admin/users/" + alice, null, d.adminToken);
        assertTrue(
                again.statusCode() == 200 && again.body().contains("\"existed\":false"),
                "deleting again is harmless: " + again.body());
        assertTrue(
                d.send("GET", "/api/v1/users/" + bob + "/runner", null, d.adminToken)
                                .statusCode()
                        == 200,
                "bob is untouched");
    }

    @Test
    @Order(8)
    void aRestartedHelperRestartsLingeringUsersCleanly() throws Exception {
        long oldRunner = MultiUserDeployment.pidIn(d.send("GET", "/api/v1/users/" + bob + "/runner", null, d.adminToken)
                .body());
        List<ProcessHandle> oldTree = new ArrayList<>(
                ProcessHandle.of(oldRunner).orElseThrow().descendants().toList());
        oldTree.add(ProcessHandle.of(oldRunner).orElseThrow());
        long helperPid =
                ProcessHandle.of(oldRunner).orElseThrow().parent().orElseThrow().pid();
        Commands.runOk(List.of("kill", "-KILL", Long.toString(helperPid)));
        assertTrue(
                ProcessHandle.of(oldRunner).map(ProcessHandle::isAlive).orElse(false),
                "the orphaned runner still runs");
        ProcessHandle.of(helperPid).ifPresent(h -> h.onExit().join());

        // Without the helper, provisioning says why and records nothing.
        HttpResponse<String> noHelper = d.send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"c" + d.tag + "\",\"email\":\"c@example.com\"}",
                d.adminToken);
        assertEquals(503, noHelper.statusCode(), noHelper.body());
        assertTrue(
                noHelper.body().contains("\"code\":\"provisioning_unavailable\"")
                        && noHelper.body()
                                .contains("the root helper oqto-usermgr does not answer on " + d.helperSocket),
                noHelper.body());
        assertEquals(
                404,
                d.send("GET", "/api/v1/admin/users/c" + d.tag, null, d.adminToken)
                        .statusCode());

        Process helper = d.helperDist.start(
                "oqto-usermgr",
                List.of("--config", d.config.toString()),
                Map.of("JAVA_HOME", System.getProperty("java.home")),
                d.helperLog);
        long[] newRunner = {0};
        Commands.waitFor(
                "bob's runner, restarted by the new helper",
                WAIT,
                () -> {
                    if (!helper.isAlive()) {
                        throw new AssertionError("oqto-usermgr exited" + Commands.tails(d.helperLog));
                    }
                    try {
                        HttpResponse<String> r = d.send("GET", "/api/v1/users/" + bob + "/runner", null, d.adminToken);
                        newRunner[0] = r.statusCode() == 200 ? MultiUserDeployment.pidIn(r.body()) : 0;
                        return newRunner[0] != 0 && newRunner[0] != oldRunner;
                    } catch (Exception e) {
                        return false;
                    }
                },
                d.helperLog);
        assertTrue(Commands.read(d.helperLog)
                .contains("oqto_" + bob + ": ending the processes an earlier helper left running"));
        for (ProcessHandle h : oldTree) {
            assertFalse(h.isAlive(), "process " + h.pid() + " of the unsupervised runner is gone");
        }
        assertEquals(
                helper.pid(),
                ProcessHandle.of(newRunner[0])
                        .orElseThrow()
                        .parent()
                        .orElseThrow()
                        .pid(),
                "the new runner is the new helper's");
    }

    @Test
    @Order(9)
    void oqtoctlDisablesEnablesAndDeletes() throws Exception {
        String ctl = d.controlPlane.home.resolve("bin/oqtoctl").toString();
        String bobToken = Commands.printedToken(d.shell("oqto:token-create " + bob));
        Commands.Result disabled = Commands.run(List.of(ctl, "user", "disable", bob), Duration.ofMinutes(2));
        assertEquals(0, disabled.exit(), disabled.output());
        assertTrue(
                disabled.output().contains("disabled " + bob + ": tokens revoked, services stopped"),
                disabled.output());
        assertEquals(
                401, d.send("GET", "/api/v1/users/me/runner", null, bobToken).statusCode(), "the token is revoked");
        assertEquals(
                503,
                d.send("GET", "/api/v1/users/" + bob + "/runner", null, d.adminToken)
                        .statusCode(),
                "the runner is stopped");
        assertTrue(helper("{\"cmd\":\"service-status\",\"args\":{\"username\":\"oqto_" + bob + "\"}}")
                .contains("\"oqto-runner\":{\"state\":\"stopped\"}"));
        assertTrue(d.send("GET", "/api/v1/admin/users/" + bob, null, d.adminToken)
                .body()
                .contains("\"state\":\"disabled\""));

        Commands.Result enabled = Commands.run(List.of(ctl, "user", "enable", bob), Duration.ofMinutes(2));
        assertEquals(0, enabled.exit(), enabled.output());
        assertEquals(
                200,
                d.send("GET", "/api/v1/users/" + bob + "/runner", null, d.adminToken)
                        .statusCode(),
                "the runner answers again");

        Commands.Result deleted =
                Commands.run(List.of(ctl, "user", "delete", "--keep-home", bob), Duration.ofMinutes(2));
        assertEquals(0, deleted.exit(), deleted.output());
        assertTrue(deleted.output().contains("deleted " + bob + " (home kept)"), deleted.output());
        assertNotEquals(
                0,
                Commands.run(List.of("id", "-u", "oqto_" + bob), Duration.ofSeconds(10))
                        .exit(),
                "no Linux user");
        Path home = Path.of("/home/oqto_" + bob);
        assertTrue(Files.isRegularFile(home.resolve(".from-skeleton")), "the home is kept");
        assertEquals(uids.get(1), (Integer) Files.getAttribute(home, "unix:uid"), "still owned by bob's old uid");
        Commands.removeUsersAndTree(List.of(), home);
        Commands.Result refused = Commands.run(
                List.of(ctl, "user", "create", "d" + d.tag, "--email", "d@example.c"), Duration.ofMinutes(2));
        assertNotEquals(0, refused.exit(), "a refused provisioning fails the command: " + refused.output());
        assertTrue(
                refused.output().contains("email d@example.c is not an address like alice@example.com"),
                refused.output());
        Commands.Result bad = Commands.run(List.of(ctl, "user", "delete", "bob;shutdown"), Duration.ofSeconds(30));
        assertEquals(64, bad.exit());
        assertEquals("oqtoctl: not a user name: 'bob;shutdown' (a-z first, then a-z, 0-9, _ and -)\n", bad.output());
    }

    /** One request to the helper's socket, as root; its one-line answer. */
    private String helper(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(d.helperSocket))) {
            ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            return new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))
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
}

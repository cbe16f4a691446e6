package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Multi-user routing with real Linux users: the control plane (multi-user mode) routes platform users
 * {@code a…} and {@code b…} to runners running as {@code oqto_a…} and {@code oqto_b…}, each on its own
 * socket from the pattern; a runner that answers on someone else's socket is refused by uid.
 * Provisioning is not part of this: the test creates the users and starts their runners itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiUserRoutingSystemIT {

    private Path work;
    private Distribution runnerDist;
    private Distribution controlPlane;
    private final Map<String, Integer> uids = new HashMap<>();
    private String alice;
    private String bob;
    private String carol;
    private int port;
    private String adminToken;
    private Map<String, String> env;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    void start() throws Exception {
        assertEquals(
                "0",
                Commands.runOk(List.of("id", "-u")).output().strip(),
                "the system tests create Linux users and must run as root (CI does); they do not skip");
        work = Files.createTempDirectory(Path.of("/tmp"), "oqto-mu-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        runnerDist = Distribution.unpack("oqto.runner.tarball", work.resolve("runner"));
        controlPlane = Distribution.unpack("oqto.controlPlane.tarball", work.resolve("cp"));
        String tag = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        alice = "a" + tag;
        bob = "b" + tag;
        carol = "c" + tag;
        for (String u : List.of(alice, bob, carol)) {
            Commands.createUser("oqto_" + u);
            uids.put(u, Commands.uidOf("oqto_" + u));
        }
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
                        "request_timeout_ms = 3000",
                        ""));
        env = Map.of(
                "HOME",
                Files.createDirectories(work.resolve("home")).toString(),
                "OQTO_CONFIG",
                config.toString(),
                "OQTO_MODE",
                "multi-user",
                "JAVA_HOME",
                System.getProperty("java.home"));
        Files.createDirectories(work.resolve("sockets"));
        startRunner(alice, alice);
        startRunner(bob, bob);
        // carol's socket is served by bob's uid: an impostor the control plane must refuse.
        startRunner(carol, bob);
        Path cpLog = work.resolve("cp.log");
        controlPlane.start("oqto", List.of(), env, cpLog);
        Commands.waitFor(
                "control plane health", Duration.ofSeconds(90), () -> status("/api/health", null) == 200, cpLog);
        Commands.Result r = Commands.run(
                List.of(controlPlane.home.resolve("bin/oqto-shell").toString(), "oqto:token-create --role admin ops"),
                Duration.ofSeconds(90));
        adminToken = Commands.printedToken(r);
    }

    /** The runner for platform user {@code owner}'s socket, running as Linux user oqto_{@code runAs}. */
    private void startRunner(String owner, String runAs) throws Exception {
        String linux = "oqto_" + runAs;
        Path dir = Files.createDirectories(work.resolve("sockets").resolve("oqto_" + owner));
        Path base = Files.createDirectories(work.resolve("base-" + owner));
        Commands.runOk(List.of("chown", linux, dir.toString(), base.toString()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> runnerEnv = new HashMap<>(env);
        runnerEnv.put("OQTO_RUNNER_BASE", base.toString());
        runnerEnv.put("OQTO_WORKSPACE__ROOT", base.resolve("oqto").toString());
        Path log = work.resolve("runner-" + owner + ".log");
        Process p = runnerDist.startAs(
                linux,
                "oqto-runner",
                List.of("--socket", dir.resolve("oqto-runner.sock").toString()),
                runnerEnv,
                log);
        Commands.waitForRunner(p, linux, log, Duration.ofMinutes(1));
        Commands.waitFor(
                "runner of " + owner,
                Duration.ofSeconds(10),
                () -> Commands.read(log).contains("runner listening on " + dir.resolve("oqto-runner.sock")),
                log);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            Distribution.stopAll(controlPlane, runnerDist);
        } finally {
            Commands.removeUsersAndTree(
                    uids.keySet().stream().map(u -> "oqto_" + u).toList(), work);
        }
    }

    @Test
    void eachPlatformUserReachesTheirOwnRunnerUnderTheirOwnUid() throws Exception {
        for (String u : List.of(alice, bob)) {
            HttpResponse<String> r = get("/api/v1/users/" + u + "/runner", adminToken);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(
                    r.body()
                            .contains("\"user\":\"" + u + "\",\"linux_user\":\"oqto_" + u + "\",\"uid\":" + uids.get(u)
                                    + ","),
                    r.body());
            assertTrue(r.body().contains("/sockets/oqto_" + u + "/oqto-runner.sock"), r.body());
            String pid = r.body().replaceAll(".*\"pid\":(\\d+).*", "$1");
            String status = Files.readString(Path.of("/proc", pid, "status"));
            assertTrue(status.contains("\nUid:\t" + uids.get(u) + "\t"), "the runner process runs as oqto_" + u);
        }
    }

    @Test
    void aRunnerOnSomeoneElsesSocketIsRefused() throws Exception {
        HttpResponse<String> r = get("/api/v1/users/" + carol + "/runner", adminToken);
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(
                r.body().contains("is served by uid " + uids.get(bob) + ", not by the user's uid " + uids.get(carol)),
                r.body());
    }

    @Test
    void unknownUsersAndUserTokensForOthersAreRefused() throws Exception {
        HttpResponse<String> unknown = get("/api/v1/users/nobody" + alice + "/runner", adminToken);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("\"code\":\"user_not_found\""), unknown.body());

        Commands.Result r = Commands.run(
                List.of(controlPlane.home.resolve("bin/oqto-shell").toString(), "oqto:token-create " + alice),
                Duration.ofSeconds(90));
        String aliceToken = Commands.printedToken(r);
        assertEquals(200, get("/api/v1/users/me/runner", aliceToken).statusCode());
        assertEquals(403, get("/api/v1/users/" + bob + "/runner", aliceToken).statusCode());
    }

    @Test
    void aRunnerWithoutCgroupsLimitsByRlimitsAndSaysSo() throws Exception {
        // alice's runner is an ordinary user: no service manager here and no cgroup of its own to write.
        HttpResponse<String> hog = post(
                "/api/v1/users/" + alice + "/processes",
                "{\"name\":\"hog\",\"sandboxed\":false,"
                        + "\"argv\":[\"/bin/sh\",\"-c\",\"exec tail /dev/zero\"],\"limits\":{\"memory_mb\":64,\"tasks\":48}}");
        assertEquals(201, hog.statusCode(), hog.body());
        assertTrue(hog.body().contains("\"mechanism\":\"rlimit\"") && hog.body().contains("prlimit"), hog.body());
        Commands.waitFor(
                "the hog fails to allocate",
                Duration.ofSeconds(30),
                () -> body("/api/v1/users/" + alice + "/processes/hog").contains("\"exit_code\":1"));
        assertTrue(body("/api/v1/users/" + alice + "/processes/hog/output").contains("tail: memory exhausted"));

        HttpResponse<String> bomb = post(
                "/api/v1/users/" + alice + "/processes",
                "{\"name\":\"bomb\",\"sandboxed\":false,"
                        + "\"argv\":[\"/bin/sh\",\"-c\",\"b(){ if [ $1 -gt 0 ]; then b $(($1-1)) & b $(($1-1)) & fi; sleep 60; }; "
                        + "b 8 & exec tail -f /dev/null\"],\"limits\":{\"tasks\":48}}");
        assertEquals(201, bomb.statusCode(), bomb.body());
        long pid = Long.parseLong(bomb.body().replaceAll(".*\"pid\":(\\d+).*", "$1"));
        long until = System.nanoTime() + 2_000_000_000L;
        long most = 0;
        while (System.nanoTime() < until) {
            most = Math.max(
                    most,
                    ProcessHandle.of(pid).map(h -> h.descendants().count() + 1).orElse(0L));
            Thread.sleep(20);
        }
        assertTrue(most > 3 && most <= 48, "processes at most: " + most);
        List<ProcessHandle> tree =
                ProcessHandle.of(pid).orElseThrow().descendants().toList();
        assertEquals(
                200,
                post("/api/v1/users/" + alice + "/processes/bomb/stop?grace_ms=500", "")
                        .statusCode());
        for (ProcessHandle h : tree) {
            assertTrue(h.onExit().get(10, TimeUnit.SECONDS) != null, "nothing of the bomb survives: " + h.pid());
        }
        assertEquals(200, get("/api/v1/users/" + alice + "/runner", adminToken).statusCode(), "the runner carries on");
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String body(String path) {
        try {
            return get(path, adminToken).body();
        } catch (Exception e) {
            return "";
        }
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String path, String token) {
        try {
            return get(path, token).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}

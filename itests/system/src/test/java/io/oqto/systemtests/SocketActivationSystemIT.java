package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runners on demand (issue 19), with real users and the root helper holding each runner's socket: no runner process
 * while a user is idle, the first request starts one (a burst of them starts exactly one), it exits after
 * {@code [runner] idle_exit_seconds} unless something of the user's runs, and a runner that cannot start is reported
 * as {@code runner_unavailable} naming why, then tried again by a later connection; first requests of several users
 * at once start their runners one after the other ({@code [usermgr] runner_starts_at_once = 1}) and are all answered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SocketActivationSystemIT {

    private static final int IDLE_EXIT_SECONDS = 4;
    private static final Duration WAIT = MultiUserDeployment.WAIT;

    private MultiUserDeployment d;
    private String alice;
    private String linux;
    private String token;

    @BeforeAll
    void start() throws Exception {
        // One runner starts at a time, so that the pacing of a burst across users shows (test 6).
        d = MultiUserDeployment.withSettings(
                List.of("idle_exit_seconds = " + IDLE_EXIT_SECONDS), List.of("runner_starts_at_once = 1"));
        alice = d.user("s" + d.tag);
        linux = "oqto_" + alice;
        token = d.provision(alice); // provisioning asks the runner to answer: that started it
    }

    @AfterAll
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    private List<Long> runnerPids() throws Exception {
        return runnerPidsOf(linux);
    }

    private static List<Long> runnerPidsOf(String linuxUser) throws Exception {
        Commands.Result r = Commands.run(
                List.of("pgrep", "-u", linuxUser, "-f", "org.apache.karaf.main.Main"), Duration.ofSeconds(10));
        return r.output().lines().filter(l -> !l.isBlank()).map(Long::parseLong).toList();
    }

    private long starts() throws Exception {
        return Commands.read(d.helperLog)
                .lines()
                .filter(l -> l.startsWith(linux + "/oqto-runner: started (pid "))
                .count();
    }

    private void waitUntilExited() throws Exception {
        Commands.waitFor(
                "the idle runner's exit",
                Duration.ofSeconds(IDLE_EXIT_SECONDS + 30),
                () -> {
                    try {
                        return runnerPids().isEmpty();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                d.helperLog);
    }

    private HttpResponse<String> ping() throws Exception {
        return d.send("POST", "/api/v1/users/" + alice + "/runner/ping", "{}", token);
    }

    @Test
    @Order(1)
    void anIdleRunnerExitsAndItsSocketStaysTheUsersAndListening() throws Exception {
        waitUntilExited();
        // The helper logs the exit once it has reaped the process, a moment after the process is gone.
        Commands.waitFor(
                "the helper's word on the idle exit",
                WAIT,
                () -> Commands.read(d.helperLog).contains(linux + "/oqto-runner: exited when idle"),
                d.helperLog);
        Path socket = Path.of("/run/user/" + Commands.uidOf(linux) + "/oqto-runner.sock");
        assertEquals(linux, Commands.ownerOf(socket), "the socket is still there, the user's");
        // Owner only, plus one ACL entry for the control plane's user (the group bits shown by ls are the ACL's mask).
        String acl = Commands.runOk(List.of("getfacl", "-p", socket.toString())).output();
        for (String entry : List.of("user::rw-", "user:oqto:rw-", "group::---", "other::---")) {
            assertTrue(acl.lines().anyMatch(l -> l.equals(entry)), entry + " in " + acl);
        }
        // The user's other services run on; only the runner is gone.
        assertTrue(Commands.running(linux, "sleep 2147483647"), "eavs/hstry stand-ins still run");
    }

    @Test
    @Order(2)
    void theFirstRequestStartsTheRunnerAndIsAnswered() throws Exception {
        assertEquals(List.of(), runnerPids(), "no runner before the request");
        long before = starts();
        HttpResponse<String> pong = ping();
        assertEquals(200, pong.statusCode(), pong.body());
        assertEquals(1, runnerPids().size(), "one runner now");
        assertEquals(before + 1, starts());
        waitUntilExited();
    }

    @Test
    @Order(3)
    void aBurstOfTwentyFirstRequestsStartsExactlyOneRunner() throws Exception {
        assertEquals(List.of(), runnerPids());
        long before = starts();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                burst.add(this::ping);
            }
            for (Future<HttpResponse<String>> f : pool.invokeAll(burst)) {
                assertEquals(200, f.get().statusCode(), f.get().body());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + 1, starts(), "one start for twenty connections");
        assertEquals(1, runnerPids().size());
    }

    @Test
    @Order(4)
    void aRunningProcessKeepsTheRunnerAndItsEndLetsItGo() throws Exception {
        HttpResponse<String> spawned = d.send(
                "POST",
                "/api/v1/users/" + alice + "/processes",
                "{\"name\":\"keep\",\"argv\":[\"sleep\",\"600\"]}",
                token);
        assertEquals(201, spawned.statusCode(), spawned.body());
        List<Long> pids = runnerPids();
        assertEquals(1, pids.size());
        // Three idle times without a request: the process keeps it.
        long until =
                System.nanoTime() + Duration.ofSeconds(3L * IDLE_EXIT_SECONDS).toNanos();
        while (System.nanoTime() < until) {
            assertEquals(pids, runnerPids(), "the runner stays while the process runs");
            Thread.sleep(500); // sampling, not waiting for a condition
        }
        HttpResponse<String> stopped = d.send("POST", "/api/v1/users/" + alice + "/processes/keep/stop", "{}", token);
        assertEquals(200, stopped.statusCode(), stopped.body());
        waitUntilExited();
    }

    @Test
    @Order(5)
    void aRunnerThatCannotStartIsReportedThenTriedAgainByALaterConnection() throws Exception {
        waitUntilExited();
        // The runner's state directory, made unusable: the launcher fails before Java starts.
        Path state = Path.of("/home", linux, ".local/state/oqto");
        Commands.runOk(List.of("chmod", "000", state.toString()));
        try {
            HttpResponse<String> first = ping();
            assertEquals(503, first.statusCode(), first.body());
            assertTrue(first.body().contains("\"code\":\"runner_unavailable\""), first.body());
            assertTrue(
                    first.body().contains("the runner of " + linux + " did not start: it exited with code "),
                    first.body());
            HttpResponse<String> again = ping();
            assertEquals(503, again.statusCode(), again.body());
            assertTrue(
                    again.body()
                            .contains("the runner of " + linux + " failed to start (not started: it exited with code"),
                    again.body());
            assertTrue(again.body().contains("); trying again in "), again.body());
        } finally {
            Commands.runOk(List.of("chmod", "700", state.toString()));
        }
        // After the pause a connection starts it again (bounded: the pause is 2 s by now).
        long before = starts();
        Commands.waitFor(
                "a runner started again",
                WAIT,
                () -> {
                    try {
                        return ping().statusCode() == 200;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                d.helperLog);
        assertEquals(before + 1, starts());
    }

    @Test
    @Order(6)
    void firstRequestsOfSeveralUsersAtOnceStartTheirRunnersOneAtATime() throws Exception {
        List<String> names = List.of(alice, d.user("t" + d.tag), d.user("u" + d.tag));
        List<String> tokens = new ArrayList<>(List.of(token));
        for (String other : names.subList(1, names.size())) {
            tokens.add(d.provision(other));
        }
        Commands.waitFor(
                "every runner's idle exit",
                Duration.ofSeconds(IDLE_EXIT_SECONDS + 60),
                () -> {
                    try {
                        for (String n : names) {
                            if (!runnerPidsOf("oqto_" + n).isEmpty()) {
                                return false;
                            }
                        }
                        return true;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                d.helperLog);
        long waitedBefore = slotWaits();
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        try {
            List<Callable<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String path = "/api/v1/users/" + names.get(i) + "/runner/ping";
                String t = tokens.get(i);
                burst.add(() -> d.send("POST", path, "{}", t));
            }
            for (Future<HttpResponse<String>> f : pool.invokeAll(burst)) {
                assertEquals(200, f.get().statusCode(), f.get().body());
            }
        } finally {
            pool.shutdownNow();
        }
        // A start takes about a second, far more than the 100 ms from which a wait is logged: two waited.
        assertEquals(waitedBefore + 2, slotWaits(), Commands.tails(d.helperLog));
    }

    private long slotWaits() throws Exception {
        return Commands.read(d.helperLog)
                .lines()
                .filter(l -> l.contains("/oqto-runner: waited ")
                        && l.endsWith(" for a start slot (other runners were starting)"))
                .count();
    }
}

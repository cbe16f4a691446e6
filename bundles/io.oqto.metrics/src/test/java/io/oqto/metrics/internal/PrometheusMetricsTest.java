package io.oqto.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.api.metrics.Gauge;
import io.oqto.api.runner.RunnerLoad;
import io.oqto.api.runner.RunnerStatus;
import io.oqto.api.runner.history.HistoryState;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {

    private final ExecutorService askers = Executors.newFixedThreadPool(4);
    private final CountDownLatch release = new CountDownLatch(1);
    private final FakeSources sources = new FakeSources();

    @AfterEach
    void stop() {
        release.countDown();
        askers.shutdownNow();
    }

    @Test
    void eventsBecomeHistogramsByTheirLabels() throws Exception {
        PrometheusMetrics m = metrics(Duration.ofSeconds(2));
        m.restRequest("GET", "/api/v1/users/{user}/files", 200, 2_000_000);
        m.restRequest("GET", "/api/v1/users/{user}/files", 200, 4_000_000);
        m.restRequest("POST", "unmatched", 404, 1_000);
        m.runnerRoundTrip("spawn_process", "ok", 300_000_000);
        m.runnerRoundTrip("create_session", "session_limit", 1_000_000);
        m.runnerRoundTrip("ping", "unavailable", 5_000);
        m.provisioning("ok", 2_000_000_000L);
        String text = scrape(m);
        assertTrue(
                text.contains("oqto_rest_request_duration_seconds_count{method=\"GET\","
                        + "route=\"/api/v1/users/{user}/files\",status=\"200\"} 2\n"),
                text);
        assertTrue(
                text.contains("oqto_rest_request_duration_seconds_sum{method=\"GET\","
                        + "route=\"/api/v1/users/{user}/files\",status=\"200\"} 0.006\n"),
                text);
        assertTrue(
                text.contains("oqto_rest_request_duration_seconds_bucket{method=\"GET\","
                        + "route=\"/api/v1/users/{user}/files\",status=\"200\",le=\"0.0025\"} 1\n"),
                text);
        assertTrue(
                text.contains("oqto_rest_request_duration_seconds_count{method=\"POST\",route=\"unmatched\","
                        + "status=\"404\"} 1\n"),
                text);
        assertTrue(
                text.contains(
                        "oqto_runner_round_trip_duration_seconds_count{outcome=\"unavailable\",type=\"ping\"} 1\n"),
                text);
        assertTrue(text.contains("oqto_spawn_duration_seconds_count{kind=\"process\",outcome=\"ok\"} 1\n"), text);
        assertTrue(text.contains("oqto_spawn_duration_seconds_count{kind=\"session\",outcome=\"failed\"} 1\n"), text);
        assertFalse(text.contains("kind=\"ping\""), "a ping starts no program");
        assertTrue(text.contains("oqto_provisioning_duration_seconds_count{outcome=\"ok\"} 1\n"), text);
        assertTrue(text.contains("# TYPE oqto_provisioning_duration_seconds histogram\n"), text);
        assertTrue(text.contains("jvm_threads_current "), "the JVM's own figures: " + text);
        Promtool.assertAccepts(text);
    }

    @Test
    void runnersFiguresAreSummedAndARunnerThatDoesNotAnswerInTimeIsDown() throws Exception {
        sources.users = List.of("alice", "bob", "carol", "dave", "erin");
        // erin's runner is not running (socket-activated, exited when idle): it must not be asked, which would start
        // it.
        sources.idle.add("erin");
        sources.statuses.put(
                "alice", status("alice", new RunnerLoad(2, 1, Map.of("idle", 1, "streaming", 1), 3, 1), "hstry", 2));
        sources.statuses.put("bob", status("bob", new RunnerLoad(1, 0, Map.of("idle", 2), 2, 0), "embedded", 0));
        // carol's runner is down (no status); dave's hangs past the scrape's deadline.
        sources.hanging = "dave";
        sources.eavs = Optional.of(false);
        sources.mmry =
                Optional.of(List.of("http://127.0.0.1:48000", "http://127.0.0.1:48001", "http://127.0.0.1:48002"));
        sources.silent.add("http://127.0.0.1:48001");
        sources.gauges.add(gauge("oqto_sse_clients", 3));
        sources.gauges.add(gauge("not a name", 1));
        sources.gauges.add(gauge("oqto_users", 99)); // a gauge may not replace one of ours
        long start = System.nanoTime();
        String text = scrape(metrics(Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the hung runner did not hold the scrape");
        assertTrue(text.contains("oqto_users 5.0\n"), text);
        assertTrue(text.contains("oqto_runners{state=\"up\"} 2.0\n"), text);
        assertTrue(text.contains("oqto_runners{state=\"down\"} 2.0\n"), text);
        assertTrue(text.contains("oqto_runners{state=\"idle\"} 1.0\n"), text);
        assertFalse(sources.asked.contains("erin"), "an idle runner is not asked: " + sources.asked);
        assertTrue(text.contains("oqto_agent_sessions{state=\"idle\"} 3.0\n"), text);
        assertTrue(text.contains("oqto_agent_sessions{state=\"streaming\"} 1.0\n"), text);
        assertTrue(text.contains("oqto_agent_sessions{state=\"starting\"} 0.0\n"), "known states are always there");
        assertTrue(text.contains("oqto_processes 5.0\n"), text);
        assertTrue(text.contains("oqto_terminals 1.0\n"), text);
        assertTrue(text.contains("oqto_runner_subscriptions 1.0\n"), text);
        assertTrue(text.contains("oqto_history_runners{store=\"embedded\"} 1.0\n"), text);
        assertTrue(text.contains("oqto_history_runners{store=\"hstry\"} 1.0\n"), text);
        assertTrue(text.contains("oqto_history_waiting_turns 2.0\n"), text);
        assertTrue(text.contains("oqto_service_up{service=\"eavs\"} 0.0\n"), text);
        // alice's runner keeps history in hstry and two turns wait for it; bob's is embedded; mmry asked on 3 ports.
        assertTrue(text.contains("oqto_user_services{service=\"hstry\",state=\"down\"} 1.0\n"), text);
        assertTrue(text.contains("oqto_user_services{service=\"hstry\",state=\"up\"} 0.0\n"), text);
        assertTrue(text.contains("oqto_user_services{service=\"mmry\",state=\"up\"} 2.0\n"), text);
        assertTrue(text.contains("oqto_user_services{service=\"mmry\",state=\"down\"} 1.0\n"), text);
        assertTrue(text.contains("oqto_sse_clients 3.0\n"), text);
        assertFalse(text.contains("not a name"), text);
        assertFalse(text.contains("oqto_users 99"), text);
        Promtool.assertAccepts(text);
    }

    @Test
    void eavsIsLeftOutWhenNotConfigured() throws Exception {
        String text = scrape(metrics(Duration.ofSeconds(1)));
        assertFalse(text.contains("oqto_service_up"), text);
        assertFalse(text.contains("oqto_user_services"), "no runner keeps history in hstry, memories not in mmry");
        assertTrue(text.contains("oqto_users 0.0\n"), text);
    }

    private PrometheusMetrics metrics(Duration deadline) {
        return new PrometheusMetrics(new CurrentFigures(sources, askers, deadline));
    }

    private static String scrape(PrometheusMetrics m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.scrape(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static RunnerStatus status(String user, RunnerLoad load, String store, int waiting) {
        return new RunnerStatus(
                user,
                "oqto_" + user,
                2000,
                42,
                "0.1.0",
                "1.10",
                null,
                1,
                "/run/user/2000/oqto-runner.sock",
                new HistoryState(store, waiting),
                load);
    }

    private static Gauge gauge(String name, double value) {
        return new Gauge() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String help() {
                return "a test gauge";
            }

            @Override
            public double value() {
                return value;
            }
        };
    }

    private final class FakeSources implements CurrentFigures.Sources {
        List<String> users = List.of();
        final Map<String, RunnerStatus> statuses = new java.util.HashMap<>();
        String hanging = "";
        final java.util.Set<String> idle = new java.util.HashSet<>();
        final java.util.Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Optional<Boolean> eavs = Optional.empty();
        final List<Gauge> gauges = new ArrayList<>();

        @Override
        public List<String> users() {
            return users;
        }

        @Override
        public Optional<RunnerStatus> status(String user) {
            asked.add(user);
            if (user.equals(hanging)) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Optional.ofNullable(statuses.get(user));
        }

        @Override
        public boolean running(String user) {
            return !idle.contains(user);
        }

        @Override
        public Optional<Boolean> eavsReachable() {
            return eavs;
        }

        Optional<List<String>> mmry = Optional.empty();
        final java.util.Set<String> silent = new java.util.HashSet<>();

        @Override
        public Optional<List<String>> mmryUrls() {
            return mmry;
        }

        @Override
        public boolean answers(String url) {
            return !silent.contains(url);
        }

        @Override
        public Collection<Gauge> gauges() {
            return gauges;
        }
    }
}

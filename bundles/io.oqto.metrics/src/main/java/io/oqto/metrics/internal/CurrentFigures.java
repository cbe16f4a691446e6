package io.oqto.metrics.internal;

import io.oqto.api.metrics.Gauge;
import io.oqto.api.runner.RunnerLoad;
import io.oqto.api.runner.RunnerStatus;
import io.oqto.api.runner.history.HistoryState;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The figures read at each scrape: every active user's runner asked for its status (its sessions, processes,
 * terminals, history queue), eavs asked whether it answers, and every {@link Gauge} service read. Runners are asked
 * in parallel and waited for up to a deadline: one that has not answered by then counts as down, so one hung runner
 * cannot make the scrape time out.
 */
final class CurrentFigures implements MultiCollector {

    /** Where the figures come from. */
    interface Sources {
        /** The platform users whose runners should be up. */
        List<String> users();

        /** A user's runner status; empty when it cannot be reached. */
        Optional<RunnerStatus> status(String user);

        /** Whether the user's runner runs, asked without starting it (a socket-activated runner exits when idle). */
        boolean running(String user);

        /** Whether eavs answers; empty when it is not configured. */
        Optional<Boolean> eavsReachable();

        /** The users' mmry daemons to ask, one address each; empty when memories are not kept in mmry. */
        Optional<List<String>> mmryUrls();

        /** Whether something answers HTTP at {@code url} (any status: a 401 is an answer). */
        boolean answers(String url);

        Collection<Gauge> gauges();
    }

    /** Session states always reported, zero included, so that a graph has its series before the first session. */
    private static final List<String> SESSION_STATES = List.of("starting", "idle", "streaming", "aborting");

    private static final Pattern METRIC_NAME = Pattern.compile("oqto_[a-z0-9_]+");

    private final Sources sources;
    private final ExecutorService askers;
    private final Duration deadline;

    CurrentFigures(Sources sources, ExecutorService askers, Duration deadline) {
        this.sources = sources;
        this.askers = askers;
        this.deadline = deadline;
    }

    @Override
    public MetricSnapshots collect() {
        List<String> users = sources.users();
        // Only running runners are asked: asking would start an idle user's (socket-activated) runner.
        List<String> running = users.stream().filter(sources::running).toList();
        List<RunnerStatus> up = statuses(running);
        List<MetricSnapshot> all = new ArrayList<>();
        all.add(gauge("oqto_users", "Platform users whose accounts are active", users.size()));
        all.add(gauge(
                "oqto_runners",
                "Runners of active users: up (answered its status within the scrape's deadline), down (connected but"
                        + " did not answer), idle (not running: started by the next request)",
                "state",
                Map.of(
                        "up",
                        (double) up.size(),
                        "down",
                        (double) running.size() - up.size(),
                        "idle",
                        (double) users.size() - running.size())));
        Map<String, Double> sessions = new TreeMap<>();
        SESSION_STATES.forEach(s -> sessions.put(s, 0.0));
        Map<String, Double> stores = new TreeMap<>();
        double processes = 0;
        double terminals = 0;
        double subscriptions = 0;
        double waiting = 0;
        for (RunnerStatus s : up) {
            RunnerLoad load = s.load();
            if (load != null) {
                load.sessions().forEach((state, n) -> sessions.merge(state, n.doubleValue(), Double::sum));
                processes += load.processes();
                terminals += load.terminals();
                subscriptions += load.subscriptions();
            }
            HistoryState history = s.history();
            if (history != null) {
                stores.merge(history.store(), 1.0, Double::sum);
                waiting += Math.max(0, history.waiting());
            }
        }
        all.add(gauge(
                "oqto_agent_sessions", "Agent sessions in all runners that answered, by state", "state", sessions));
        all.add(gauge(
                "oqto_processes", "Processes running in all runners that answered (agents' pi included)", processes));
        all.add(gauge("oqto_terminals", "Terminals open in all runners that answered", terminals));
        all.add(gauge("oqto_runner_subscriptions", "Event subscriptions open in runners", subscriptions));
        all.add(gauge(
                "oqto_history_runners",
                "Runners by where their history is kept (hstry, embedded, off, not_installed)",
                "store",
                stores));
        all.add(gauge(
                "oqto_history_waiting_turns",
                "Turns queued in runners because their history store did not answer (hstry unreachable)",
                waiting));
        sources.eavsReachable()
                .ifPresent(ok -> all.add(gauge(
                        "oqto_service_up",
                        "Whether a configured service answers",
                        "service",
                        Map.of("eavs", ok ? 1.0 : 0.0))));
        // The users' own services: hstry as each runner that keeps history there sees it (turns queued: it did not
        // answer), mmry asked on each user's port.
        long hstryUp = up.stream().filter(s -> hstry(s) == 0).count();
        long hstryDown = up.stream().filter(s -> hstry(s) > 0).count();
        Optional<List<String>> mmry = sources.mmryUrls();
        if (hstryUp + hstryDown > 0 || mmry.isPresent()) {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder()
                    .name("oqto_user_services")
                    .help("Users' own services by whether they answer: hstry as its runner sees it, mmry on its port");
            if (hstryUp + hstryDown > 0) {
                b.dataPoint(point("hstry", "up", hstryUp)).dataPoint(point("hstry", "down", hstryDown));
            }
            if (mmry.isPresent()) {
                long answering = answering(mmry.get());
                b.dataPoint(point("mmry", "up", answering))
                        .dataPoint(point("mmry", "down", mmry.get().size() - answering));
            }
            all.add(b.build());
        }
        Set<String> names = new HashSet<>();
        all.forEach(m -> names.add(m.getMetadata().getName()));
        for (Gauge g : sources.gauges()) {
            if (METRIC_NAME.matcher(g.name()).matches() && names.add(g.name())) {
                all.add(gauge(g.name(), g.help(), g.value()));
            }
        }
        return new MetricSnapshots(all);
    }

    /** Turns waiting for hstry in this runner; -1 when it keeps no history in hstry. */
    private static int hstry(RunnerStatus s) {
        HistoryState h = s.history();
        return h == null || !h.store().equals("hstry") ? -1 : Math.max(0, h.waiting());
    }

    private static GaugeDataPointSnapshot point(String service, String state, long value) {
        return GaugeDataPointSnapshot.builder()
                .labels(Labels.of("service", service, "state", state))
                .value((double) value)
                .build();
    }

    /** The statuses of the runners that answered by the deadline. */
    private List<RunnerStatus> statuses(List<String> users) {
        List<RunnerStatus> up = new ArrayList<>();
        askAll(users, sources::status).forEach(s -> s.ifPresent(up::add));
        return up;
    }

    /** How many of {@code urls} answer by the deadline. */
    private long answering(List<String> urls) {
        return askAll(urls, sources::answers).stream()
                .filter(Boolean::booleanValue)
                .count();
    }

    /**
     * {@code ask} for each item, in parallel on the askers, waited for up to the deadline in all: the answers that came
     * in time (one that did not, or failed, is left out).
     */
    private <T, R> List<R> askAll(List<T> items, Function<T, R> ask) {
        List<CompletableFuture<R>> asked = new ArrayList<>();
        for (T item : items) {
            asked.add(CompletableFuture.supplyAsync(() -> ask.apply(item), askers));
        }
        long until = System.nanoTime() + deadline.toNanos();
        List<R> answers = new ArrayList<>();
        for (CompletableFuture<R> f : asked) {
            try {
                answers.add(f.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException | ExecutionException e) {
                f.cancel(false); // down: it did not answer in time, or could not be asked
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return answers;
    }

    private static MetricSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
                .build();
    }

    private static MetricSnapshot gauge(String name, String help, String label, Map<String, Double> values) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        new TreeMap<>(values)
                .forEach((v, n) -> b.dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(Labels.of(label, v))
                        .value(n)
                        .build()));
        return b.build();
    }
}

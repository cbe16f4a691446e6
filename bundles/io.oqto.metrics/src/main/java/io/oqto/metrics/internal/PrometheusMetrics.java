package io.oqto.metrics.internal;

import io.oqto.api.metrics.Gauge;
import io.oqto.api.metrics.Metrics;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics on Prometheus's client: histograms for what bundles report, and at each scrape the gauges read now
 * ({@code current}: runners, services, {@link Gauge} services). Each instance has its own registry, so an update of
 * this bundle starts the counters again (Prometheus takes that as a counter reset) and leaves nothing behind.
 */
final class PrometheusMetrics implements Metrics {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetrics.class);
    /** Round trips that start a program: their time is also the spawn time. */
    private static final Set<String> SPAWNS = Set.of("spawn_process", "create_session", "create_terminal");
    /** From a ping's 100 µs to a slow spawn's seconds. */
    private static final double[] FAST = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };
    /** Spawning and provisioning take tenths of seconds to a minute. */
    private static final double[] SLOW = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram rest;
    private final Histogram runner;
    private final Histogram spawn;
    private final Histogram provisioning;

    PrometheusMetrics(MultiCollector current) {
        rest = Histogram.builder()
                .name("oqto_rest_request_duration_seconds")
                .help("REST requests by method, route template and status: time to the answer's headers")
                .labelNames("method", "route", "status")
                .classicOnly()
                .classicUpperBounds(FAST)
                .register(registry);
        runner = Histogram.builder()
                .name("oqto_runner_round_trip_duration_seconds")
                .help("Round trips to runners by request type and outcome (ok, the runner's error code, unavailable)")
                .labelNames("type", "outcome")
                .classicOnly()
                .classicUpperBounds(FAST)
                .register(registry);
        spawn = Histogram.builder()
                .name("oqto_spawn_duration_seconds")
                .help("Programs started in a runner's sandbox (process, session, terminal), as the control plane waits")
                .labelNames("kind", "outcome")
                .classicOnly()
                .classicUpperBounds(SLOW)
                .register(registry);
        provisioning = Histogram.builder()
                .name("oqto_provisioning_duration_seconds")
                .help("Users provisioned, every step, by outcome")
                .labelNames("outcome")
                .classicOnly()
                .classicUpperBounds(SLOW)
                .register(registry);
        registry.register(current);
        // The JVM's figures, read from its MXBeans at each scrape. Not JvmMemoryPoolAllocationMetrics: it adds GC
        // listeners to the platform's beans, which would outlive this bundle.
        JvmMemoryMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    @Override
    public void restRequest(String method, String route, int status, long nanos) {
        observe(rest, nanos, method, route, Integer.toString(status));
    }

    @Override
    public void runnerRoundTrip(String type, String outcome, long nanos) {
        observe(runner, nanos, type, outcome);
        if (SPAWNS.contains(type)) {
            observe(spawn, nanos, type.substring(type.indexOf('_') + 1), outcome.equals("ok") ? "ok" : "failed");
        }
    }

    @Override
    public void provisioning(String outcome, long nanos) {
        observe(provisioning, nanos, outcome);
    }

    @Override
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }

    private static void observe(Histogram histogram, long nanos, String... labels) {
        try {
            histogram.labelValues(labels).observe(nanos / (double) TimeUnit.SECONDS.toNanos(1));
        } catch (RuntimeException e) {
            LOG.warn("a measurement was lost: {}", e.toString()); // never the measured action's failure
        }
    }
}

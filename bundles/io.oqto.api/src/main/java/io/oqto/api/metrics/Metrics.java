package io.oqto.api.metrics;

import java.io.IOException;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the control plane's bundles report what happened. Every method returns at once and never throws: a
 * measurement must not fail or slow the action it measures. Users are never a label (their number is unbounded);
 * per-user figures are sums over runners.
 */
@ProviderType
public interface Metrics {

    /** The media type of {@link #scrape}: Prometheus's text format. */
    String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * A REST request answered.
     *
     * @param route the matched route's template ({@code /api/v1/users/{user}/files}), or {@code unmatched}
     * @param nanos from the request's arrival to its answer's headers (a stream's body is not counted)
     */
    void restRequest(String method, String route, int status, long nanos);

    /**
     * A round trip to a runner.
     *
     * @param type the request's type ({@code status}, {@code spawn_process}, …)
     * @param outcome {@code ok}, the runner's error code, or {@code unavailable} when it could not be reached
     */
    void runnerRoundTrip(String type, String outcome, long nanos);

    /** A user's provisioning (all its steps) ended: {@code ok} or {@code failed}. */
    void provisioning(String outcome, long nanos);

    /** Writes every metric, the gauges read now, in {@link #CONTENT_TYPE}. */
    void scrape(OutputStream out) throws IOException;
}

package io.oqto.rest.internal;

import io.oqto.api.metrics.Metrics;
import java.util.function.Supplier;
import javax.annotation.Priority;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import org.jspecify.annotations.Nullable;

/**
 * Every REST request's method, route, status and time go to the metrics. The clock starts before matching and
 * authentication (first of all filters), so refused requests are timed too; it stops when the answer's headers are
 * ready, so an event stream counts its opening, not its life. Unmatched paths are one route, {@code unmatched}: a
 * scanner's invented paths must not grow the scrape.
 */
@PreMatching
@Priority(1)
final class MetricsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String START = "oqto.metrics.start";

    private final Supplier<@Nullable Metrics> metrics;

    @Context
    private @Nullable ResourceInfo resource;

    MetricsFilter(Supplier<@Nullable Metrics> metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(START, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Metrics m = metrics.get();
        if (m == null || !(request.getProperty(START) instanceof Long start)) {
            return;
        }
        String route = Routes.template(resource);
        m.restRequest(
                request.getMethod(),
                route == null ? "unmatched" : route,
                response.getStatus(),
                System.nanoTime() - start);
    }
}

package io.oqto.gate.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The gate in front of {@code /api}: a servlet filter on the Http Whiteboard, in front of {@link ApiServlet} (in the
 * same context: a filter does not reach a servlet of the Http Service's). This bundle is not what upgrades replace:
 * it stays while the REST API behind it is swapped, which is the point.
 *
 * <p>While the {@link GateKeeper} holds, a request waits up to {@code [server] hold_seconds} for the API to come back,
 * then goes through; if it does not come back in time the answer is {@code 503 api_unavailable} with
 * {@code Retry-After}, in the API's problem format.
 */
@Component(
        service = Filter.class,
        property = {
            "osgi.http.whiteboard.filter.name=oqto-api-gate",
            "osgi.http.whiteboard.filter.pattern=/api/*",
            "osgi.http.whiteboard.filter.asyncSupported=true"
        })
public final class ApiGateFilter implements Filter {

    /** What a client is told to wait before it tries again. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final GateKeeper keeper;

    @Activate
    public ApiGateFilter(@Reference GateKeeper keeper) {
        this.keeper = keeper;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean through;
        try {
            through = keeper.enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            through = false;
        }
        if (!through) {
            unavailable((HttpServletResponse) response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            keeper.leave();
        }
    }

    static void unavailable(HttpServletResponse response) throws IOException {
        response.setStatus(503);
        response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        response.setContentType("application/problem+json");
        response.getOutputStream()
                .write(("{\"status\":503,\"code\":\"api_unavailable\",\"title\":\"API unavailable\","
                                + "\"detail\":\"the REST API is being updated or is not running: retry in "
                                + RETRY_AFTER_SECONDS + " s\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }
}

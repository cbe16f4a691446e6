package io.oqto.rest.internal;

import io.oqto.api.audit.AuditContext;
import io.oqto.api.audit.AuditEvent;
import io.oqto.api.audit.AuditLog;
import io.oqto.api.auth.Caller;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import org.jspecify.annotations.Nullable;

/**
 * One audit line per request that changes something (every method but GET, HEAD and OPTIONS, and no route marked
 * {@link ChangesNothing}), whatever its outcome
 * — a refused sign-in included: who (the caller, or the name a sign-in gave), the route and the path, the status and
 * error code, the request id and the client's address. Bodies are never logged, so no password or token is.
 *
 * <p>Every answer carries {@code X-Request-Id}: the client's own when it sent a sane one, else a new one. While a
 * request that changes something runs, {@link AuditContext} says who acts, so that services it calls (provisioning's
 * steps) write their lines with the same actor and id.
 */
@Priority(Priorities.AUTHORIZATION)
final class AuditFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String REQUEST_ID = "X-Request-Id";
    /** The name a sign-in gave, set by {@link AuthResource} (no caller exists yet). */
    static final String SIGN_IN_NAME = "oqto.audit.sign-in-name";

    private static final String ID_PROPERTY = "oqto.audit.request-id";
    private static final String SCOPE_PROPERTY = "oqto.audit.scope";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Supplier<@Nullable AuditLog> audit;

    @Context
    private @Nullable HttpServletRequest http;

    @Context
    private @Nullable ResourceInfo resource;

    AuditFilter(Supplier<@Nullable AuditLog> audit) {
        this.audit = audit;
    }

    /** After authentication: the request id, and for a change, who acts while it runs. */
    @Override
    public void filter(ContainerRequestContext request) {
        String id = requestId(request);
        if (changes(request)) {
            Who who = who(request);
            request.setProperty(
                    SCOPE_PROPERTY, AuditContext.enter(new AuditContext.Who(who.actor, who.role, id, source())));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(SCOPE_PROPERTY) instanceof AuditContext.Scope scope) {
            scope.close();
        }
        String id = requestId(request);
        response.getHeaders().putSingle(REQUEST_ID, id);
        if (!changes(request)) {
            return;
        }
        AuditLog log = audit.get();
        if (log == null) {
            return;
        }
        int status = response.getStatus();
        Who who = who(request);
        String path = "/api/" + request.getUriInfo().getPath();
        log.record(new AuditEvent(
                Instant.now(),
                who.actor,
                who.role,
                request.getMethod() + " " + route(path),
                path,
                status < 400 ? "ok" : status < 500 ? "refused" : "failed",
                status + (response.getEntity() instanceof ApiProblem.Body b ? " " + b.code() : ""),
                id,
                source()));
    }

    /** Whether the request may change something: any method but GET, HEAD, OPTIONS, unless its route says not. */
    private boolean changes(ContainerRequestContext request) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return false;
        }
        ResourceInfo r = resource;
        Method m = r == null ? null : r.getResourceMethod();
        return m == null || !m.isAnnotationPresent(ChangesNothing.class);
    }

    private record Who(String actor, String role) {}

    private Who who(ContainerRequestContext request) {
        if (request.getSecurityContext() instanceof AuthFilter.CallerContext c) {
            Caller caller = c.caller();
            return new Who(caller.user(), caller.role().wireName());
        }
        Object name = http == null ? null : http.getAttribute(SIGN_IN_NAME);
        return new Who(name instanceof String n ? n : "anonymous", "anonymous");
    }

    private static String requestId(ContainerRequestContext request) {
        if (request.getProperty(ID_PROPERTY) instanceof String id) {
            return id;
        }
        String sent = request.getHeaderString(REQUEST_ID);
        String id = sent != null && SANE_ID.matcher(sent).matches() ? sent : AuditEvent.newRequestId();
        request.setProperty(ID_PROPERTY, id);
        return id;
    }

    private String source() {
        String address = http == null ? null : http.getRemoteAddr();
        return address == null ? "unknown" : address;
    }

    /** The matched route's template ({@code /api/v1/users/{user}/tokens}); the path itself when none matched. */
    private String route(String path) {
        String template = Routes.template(resource);
        return template == null ? path : template;
    }
}

package io.oqto.rest.internal;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.TokenService;
import java.security.Principal;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.SecurityContext;

/**
 * Every path but {@code /health} needs {@code Authorization: Bearer <token>}. The authenticated
 * {@link Caller} is then the request's user principal.
 */
@Priority(Priorities.AUTHENTICATION)
final class BearerAuthFilter implements ContainerRequestFilter {

    private final TokenService tokens;

    BearerAuthFilter(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if ("health".equals(path) || "/health".equals(path)) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            abort(request, "unauthenticated", "send Authorization: Bearer <token>");
            return;
        }
        Caller caller = tokens.authenticate(header.substring(7).trim()).orElse(null);
        if (caller == null) {
            abort(request, "invalid_token", "the bearer token is unknown or malformed");
            return;
        }
        boolean secure = request.getSecurityContext().isSecure();
        request.setSecurityContext(new CallerContext(caller, secure));
    }

    private static void abort(ContainerRequestContext request, String code, String detail) {
        request.abortWith(
                javax.ws.rs.core.Response.fromResponse(new ApiProblem(401, code, "Unauthorized", detail).toResponse())
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"oqto\"")
                        .build());
    }

    /** Exposes the caller through the standard JAX-RS security context. */
    record CallerContext(Caller caller, boolean secure) implements SecurityContext {

        @Override
        public Principal getUserPrincipal() {
            return caller::user;
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.role().wireName().equals(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}

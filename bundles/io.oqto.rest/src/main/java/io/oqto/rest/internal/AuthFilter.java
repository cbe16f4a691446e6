package io.oqto.rest.internal;

import io.oqto.api.auth.BrowserSession;
import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Caller;
import io.oqto.api.auth.TokenService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Set;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.SecurityContext;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling. Programs send {@code Authorization: Bearer <token>}; browsers send the session cookie a sign-in
 * set ({@link BrowserSessions#COOKIE}). The caller is then the request's user principal.
 *
 * <p>Cross-site request forgery, for cookie-authenticated requests that change state (anything but GET, HEAD and
 * OPTIONS): the request must carry {@code X-CSRF-Token} with the session's token (which only a page that read
 * {@code GET /api/v1/me} or the sign-in reply knows, and which a cross-site form cannot send), and an {@code Origin},
 * when the browser sends one, must be this server's. The cookie is also {@code SameSite=Lax}. Bearer requests need
 * neither: a browser never adds a bearer header by itself.
 *
 * <p>Open without a caller: {@code /health}, signing in ({@code /v1/auth/login}, whose cross-site use the origin
 * check refuses), the one-time login link ({@code /v1/auth/link}) and the API's description ({@code /openapi.json}).
 */
@Priority(Priorities.AUTHENTICATION)
final class AuthFilter implements ContainerRequestFilter {

    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> OPEN = Set.of("health", "v1/auth/login", "v1/auth/link", "openapi.json");

    private final TokenService tokens;
    private final BrowserSessions sessions;

    AuthFilter(TokenService tokens, BrowserSessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (OPEN.contains(path.startsWith("/") ? path.substring(1) : path)) {
            if (!request.getMethod().equals("GET") && !sameOrigin(request)) {
                forbidCsrf(request, "a cross-site sign-in is refused (its Origin is not this server)");
            }
            return;
        }
        boolean secure = request.getSecurityContext().isSecure();
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                abort(request, "unauthenticated", "send Authorization: Bearer <token>");
                return;
            }
            String token = header.substring(7).trim();
            Caller caller = tokens.authenticate(token).orElse(null);
            if (caller == null) {
                if (tokens.isExpired(token)) {
                    abort(request, "token_expired", "the bearer token has expired: make a new one");
                } else {
                    abort(request, "invalid_token", "the bearer token is unknown or malformed");
                }
                return;
            }
            request.setSecurityContext(new CallerContext(caller, secure, "Bearer"));
            return;
        }
        Cookie cookie = request.getCookies().get(BrowserSessions.COOKIE);
        if (cookie == null) {
            abort(
                    request,
                    "unauthenticated",
                    "send Authorization: Bearer <token>, or sign in (POST /api/v1/auth/login) and send its cookie");
            return;
        }
        BrowserSession session = sessions.find(cookie.getValue()).orElse(null);
        if (session == null) {
            abort(request, "session_expired", "the sign-in has ended or expired: sign in again");
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod())) {
            if (!sameOrigin(request)) {
                forbidCsrf(request, "a cross-site request is refused (its Origin is not this server)");
                return;
            }
            String sent = request.getHeaderString(CSRF_HEADER);
            if (sent == null
                    || !MessageDigest.isEqual(
                            sent.getBytes(StandardCharsets.UTF_8),
                            session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
                forbidCsrf(
                        request,
                        "a request signed in by cookie that changes something must send " + CSRF_HEADER
                                + " (csrf_token of GET /api/v1/me)");
                return;
            }
        }
        request.setSecurityContext(new CallerContext(session.caller(), secure, "Cookie", session));
    }

    /** No {@code Origin} (not a browser, or a same-origin GET), or one naming this server's host and port. */
    static boolean sameOrigin(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null) {
            return true;
        }
        String host = request.getHeaderString(HttpHeaders.HOST);
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() == -1 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void forbidCsrf(ContainerRequestContext request, String detail) {
        request.abortWith(new ApiProblem(403, "csrf_refused", "Forbidden", detail).toResponse());
    }

    private static void abort(ContainerRequestContext request, String code, String detail) {
        request.abortWith(
                javax.ws.rs.core.Response.fromResponse(new ApiProblem(401, code, "Unauthorized", detail).toResponse())
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"oqto\"")
                        .build());
    }

    /** The browser session of a cookie-authenticated request, else null. */
    static @Nullable BrowserSession session(SecurityContext security) {
        return security instanceof CallerContext c ? c.session() : null;
    }

    /**
     * Exposes the caller through the standard JAX-RS security context.
     *
     * @param session the browser session, when a cookie authenticated the request
     */
    record CallerContext(
            Caller caller,
            boolean secure,
            String scheme,
            @Nullable BrowserSession session) implements SecurityContext {

        CallerContext(Caller caller, boolean secure, String scheme) {
            this(caller, secure, scheme, null);
        }

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
            return scheme;
        }
    }
}

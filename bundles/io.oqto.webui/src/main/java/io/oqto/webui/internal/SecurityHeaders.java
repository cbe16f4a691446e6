package io.oqto.webui.internal;

import javax.servlet.http.HttpServletResponse;

/**
 * The headers on every answer of the UI. The Content-Security-Policy allows only this origin's own scripts, styles,
 * images and connections (no inline script, no eval, no other site), no framing and no plugins; the rest stop
 * content-type sniffing, framing by other sites and leaking URLs (the login link's code) in the Referer.
 */
final class SecurityHeaders {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'; object-src 'none'";

    /**
     * The terminal page's policy: the same, but styles may be inline, because xterm.js writes its colours and cell
     * sizes as {@code <style>} elements. That page shows only the terminal (text drawn by xterm.js, never HTML), so
     * the pages that show Markdown from the agent keep {@link #CSP}.
     */
    static final String TERMINAL_CSP = CSP.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';");

    static final String TERMINAL_PAGE = "/terminal.html";

    private SecurityHeaders() {}

    static void apply(HttpServletResponse response, String path) {
        response.setHeader("Content-Security-Policy", path.equals(TERMINAL_PAGE) ? TERMINAL_CSP : CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    }
}

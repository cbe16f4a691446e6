package io.oqto.webui.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The web UI's files, from this bundle's {@code ui/} folder: {@code /} is {@code index.html}, every other path is the
 * file of that name or 404 (the UI routes with the URL's fragment, so no path needs a fallback). The REST API keeps
 * {@code /api/*}: a longer pattern wins over this default servlet.
 *
 * <p>Text files go gzipped to clients that accept it. Every answer carries {@link SecurityHeaders}. Nothing is cached across a bundle update except the vendored
 * libraries, whose names do not change with our code.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
public final class UiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");

    private final transient Bundle bundle;
    /** Text files gzipped, by request path. */
    private final transient Map<String, byte[]> compressed = new ConcurrentHashMap<>();

    @Activate
    public UiServlet(BundleContext context) {
        this.bundle = context.getBundle();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        SecurityHeaders.apply(response, path);
        URL file = resource(path);
        String type = file == null ? null : TYPES.get(extension(file.getPath()));
        if (file == null || type == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setContentType(type);
        response.setHeader("Cache-Control", file.getPath().contains("/vendor/") ? "public, max-age=86400" : "no-cache");
        boolean text = type.startsWith("text/") || type.startsWith("image/svg");
        if (text) {
            response.setHeader("Vary", "Accept-Encoding");
        }
        String accepted = request.getHeader("Accept-Encoding");
        if (text && accepted != null && accepted.contains("gzip")) {
            byte[] gzipped = compressed.computeIfAbsent(path, p -> gzip(file));
            response.setHeader("Content-Encoding", "gzip");
            response.setContentLength(gzipped.length);
            response.getOutputStream().write(gzipped);
            return;
        }
        try (InputStream in = file.openStream();
                OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }

    /**
     * The file gzipped (the JDK's Deflater). Kept for the life of this servlet: a bundle's entries do not change
     * while it is resolved, and an update makes a new servlet.
     */
    private static byte[] gzip(URL file) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = file.openStream();
                GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return bytes.toByteArray();
    }

    /** The bundle entry for a request path; null for anything outside {@code ui/} or not a file. */
    private @Nullable URL resource(String path) {
        if (path.isEmpty() || path.equals("/")) {
            path = "/index.html";
        }
        if (!path.matches("(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+") || path.contains("..")) {
            return null;
        }
        URL entry = bundle.getEntry("ui" + path);
        return entry == null || entry.getPath().endsWith("/") ? null : entry;
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1);
    }
}

package io.oqto.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The file server's routes (those of the original {@code oqto-files} that the runner needs):
 * {@code GET /health}, {@code GET /tree}, {@code GET/PUT/DELETE /file}, {@code PUT /mkdir},
 * {@code POST /rename}. Every path goes through {@link RootPaths}.
 */
final class FileRoutes {

    static final int MAX_TREE_DEPTH = 20;
    static final int MAX_TREE_ENTRIES = 50_000;

    private final RootPaths paths;
    private final long maxUpload;

    FileRoutes(RootPaths paths, long maxUpload) {
        this.paths = paths;
        this.maxUpload = maxUpload;
    }

    /** Answers one request; the request body, if any, is read from {@code body} (exactly its length). */
    void handle(HttpRequest r, InputStream body, OutputStream out) throws IOException {
        try {
            String route = r.method() + " " + r.path();
            switch (route) {
                case "GET /health" -> HttpResponse.json(out, 200, health());
                case "GET /tree" -> HttpResponse.json(out, 200, tree(r));
                case "GET /file" -> read(r, out);
                case "PUT /file" -> write(r, body, out);
                case "DELETE /file" -> delete(r, out);
                case "PUT /mkdir" -> mkdir(r, out);
                case "POST /rename" -> rename(r, out);
                default ->
                    throw List.of("/health", "/tree", "/file", "/mkdir", "/rename")
                                    .contains(r.path())
                            ? new FileError(405, "METHOD_NOT_ALLOWED", r.method() + " is not allowed on " + r.path())
                            : new FileError(404, "NOT_FOUND", "no route " + r.path());
            }
        } catch (FileError e) {
            HttpResponse.error(out, e);
        } catch (IOException e) {
            HttpResponse.error(
                    out, new FileError(500, "IO_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("root", paths.root().toString());
        return m;
    }

    private List<Map<String, Object>> tree(HttpRequest r) throws FileError, IOException {
        String requested = r.query().getOrDefault("path", ".");
        Path dir = existing(requested);
        if (!Files.isDirectory(dir)) {
            throw new FileError(400, "NOT_A_DIRECTORY", requested + " is not a directory");
        }
        int depth;
        try {
            depth = Integer.parseInt(r.query().getOrDefault("depth", "1"));
        } catch (NumberFormatException e) {
            throw FileError.invalidPath("depth must be a number");
        }
        int[] budget = {MAX_TREE_ENTRIES};
        return children(dir, Math.max(1, Math.min(depth, MAX_TREE_DEPTH)), r.flag("show_hidden"), budget);
    }

    private List<Map<String, Object>> children(Path dir, int depth, boolean hidden, int[] budget) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> hidden || !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Path p : entries) {
            if (budget[0]-- <= 0) {
                break;
            }
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", p.getFileName().toString());
            n.put("path", paths.relative(p));
            n.put("type", a.isDirectory() ? "directory" : a.isSymbolicLink() ? "symlink" : "file");
            n.put("size", a.size());
            n.put("modified", a.lastModifiedTime().toMillis() / 1000);
            if (a.isDirectory() && depth > 1) {
                n.put("children", children(p, depth - 1, hidden, budget));
            }
            nodes.add(n);
        }
        return nodes;
    }

    private void read(HttpRequest r, OutputStream out) throws FileError, IOException {
        Path p = existing(r.param("path"));
        if (!Files.isRegularFile(p)) {
            throw new FileError(400, "NOT_A_FILE", r.param("path") + " is not a file");
        }
        String type = Files.probeContentType(p);
        try (InputStream in = Files.newInputStream(p)) {
            HttpResponse.stream(
                    out,
                    type == null ? "application/octet-stream" : type,
                    Files.size(p),
                    "inline; filename=\"" + p.getFileName().toString().replace("\"", "") + "\"",
                    in);
        }
    }

    /** Written to a temporary file next to the target, then renamed over it: readers never see half a file. */
    private void write(HttpRequest r, InputStream body, OutputStream out) throws FileError, IOException {
        if (r.contentLength() > maxUpload) {
            throw new FileError(
                    413, "FILE_TOO_LARGE", "upload of " + r.contentLength() + " bytes exceeds " + maxUpload);
        }
        Path target = paths.resolve(r.param("path"));
        if (Files.isDirectory(target)) {
            throw new FileError(400, "NOT_A_FILE", r.param("path") + " is a directory");
        }
        Path parent = target.getParent();
        if (parent == null) { // a resolved path lies below the root
            throw FileError.invalidPath("not a file: " + r.param("path"));
        }
        if (!Files.isDirectory(parent)) {
            if (!r.flag("mkdir")) {
                throw FileError.notFound(paths.relative(parent));
            }
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".oqto-upload-", ".tmp");
        try {
            try (OutputStream o = Files.newOutputStream(tmp)) {
                long copied = copy(body, o, r.contentLength());
                if (copied != r.contentLength()) {
                    throw new IOException("upload ended after " + copied + " of " + r.contentLength() + " bytes");
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        HttpResponse.json(out, 200, result("written " + r.contentLength() + " bytes", paths.relative(target)));
    }

    private void delete(HttpRequest r, OutputStream out) throws FileError, IOException {
        Path p = paths.resolve(r.param("path"));
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw FileError.notFound(r.param("path"));
        }
        if (p.equals(paths.root())) {
            throw new FileError(403, "PATH_TRAVERSAL", "the root itself cannot be deleted");
        }
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && r.flag("recursive")) {
                try (Stream<Path> all = Files.walk(p)) {
                    for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(x);
                    }
                }
            } else {
                Files.delete(p);
            }
        } catch (DirectoryNotEmptyException e) {
            throw new FileError(409, "DIRECTORY_NOT_EMPTY", r.param("path") + " is not empty (add recursive=true)");
        }
        HttpResponse.json(out, 200, result("deleted", null));
    }

    private void mkdir(HttpRequest r, OutputStream out) throws FileError, IOException {
        Path p = paths.resolve(r.param("path"));
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new FileError(400, "NOT_A_DIRECTORY", r.param("path") + " exists and is not a directory");
        }
        Files.createDirectories(p);
        HttpResponse.json(out, 200, result("created", paths.relative(p)));
    }

    private void rename(HttpRequest r, OutputStream out) throws FileError, IOException {
        Path from = existing(r.param("old_path"));
        Path to = paths.resolve(r.param("new_path"));
        if (from.equals(paths.root())) {
            throw new FileError(403, "PATH_TRAVERSAL", "the root itself cannot be renamed");
        }
        try {
            Files.move(from, to);
        } catch (FileAlreadyExistsException e) {
            throw new FileError(409, "ALREADY_EXISTS", r.param("new_path") + " exists");
        }
        HttpResponse.json(out, 200, result("renamed", paths.relative(to)));
    }

    private Path existing(@Nullable String requested) throws FileError {
        Path p = paths.resolve(requested);
        if (!Files.exists(p)) {
            throw FileError.notFound(requested);
        }
        return p;
    }

    private static Map<String, Object> result(String message, @Nullable String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("message", message);
        if (path != null) {
            m.put("path", path);
        }
        return m;
    }

    private static long copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long done = 0;
        while (done < length) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - done));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            done += n;
        }
        return done;
    }
}

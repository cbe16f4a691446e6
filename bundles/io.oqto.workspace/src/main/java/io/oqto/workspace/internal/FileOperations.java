package io.oqto.workspace.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.ConfinedWorkspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The file operations of the runner protocol, every path through {@link ConfinedWorkspace}:
 * {@code list_directory}, {@code stat}, {@code read_file}, {@code write_file} (atomic: temporary file,
 * then rename), {@code create_directory}, {@code delete_path} (recursive only when asked),
 * {@code rename_path}, and chunked uploads ({@link Uploads}).
 */
final class FileOperations {

    /** Largest read per request: base64 of it stays well inside the 1 MiB frame limit. */
    static final int MAX_READ = 512 * 1024;

    private final ConfinedWorkspace guard;
    private final Uploads uploads;

    FileOperations(ConfinedWorkspace guard, Uploads uploads) {
        this.guard = guard;
        this.uploads = uploads;
    }

    Frame handle(Frame r) throws ProtocolException {
        try {
            return switch (r.type()) {
                case "list_directory" -> list(r);
                case "stat" -> stat(r);
                case "read_file" -> read(r);
                case "write_file" -> write(r);
                case "create_directory" -> mkdir(r);
                case "delete_path" -> delete(r);
                case "rename_path" -> rename(r);
                case "begin_upload" -> uploads.begin(r, pathOf(r));
                case "upload_chunk" -> uploads.chunk(r);
                case "finish_upload" -> uploads.finish(r);
                case "abort_upload" -> uploads.abort(r);
                default ->
                    throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "not a file operation: " + r.type(), null);
            };
        } catch (NoSuchFileException e) {
            throw new ProtocolException(
                    ErrorCode.PATH_NOT_FOUND, "no such file or directory: " + shown(e.getFile()), null);
        } catch (FileAlreadyExistsException e) {
            throw new ProtocolException(ErrorCode.PATH_EXISTS, "already exists: " + shown(e.getFile()), null);
        } catch (DirectoryNotEmptyException e) {
            throw new ProtocolException(
                    ErrorCode.DIRECTORY_NOT_EMPTY,
                    "directory not empty (pass \"recursive\": true): " + shown(e.getFile()),
                    null);
        } catch (NotDirectoryException e) {
            throw new ProtocolException(ErrorCode.NOT_A_DIRECTORY, "not a directory: " + shown(e.getFile()), null);
        } catch (AccessDeniedException e) {
            throw new ProtocolException(ErrorCode.IO_ERROR, "permission denied: " + shown(e.getFile()), null);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.IO_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    /** Paths in messages are shown relative to the workspace, so replies never reveal the host layout. */
    private String shown(String file) {
        if (file == null) {
            return "(unknown)";
        }
        Path p = Path.of(file);
        return p.startsWith(guard.root())
                ? "/" + guard.root().relativize(p)
                : p.getFileName().toString();
    }

    private Frame list(Frame r) throws IOException, ProtocolException {
        Path dir = guard.existing(pathOf(r));
        if (!Files.isDirectory(dir)) {
            throw new ProtocolException(ErrorCode.NOT_A_DIRECTORY, "not a directory: " + pathOf(r), null);
        }
        boolean hidden = Boolean.TRUE.equals(r.fields().get("include_hidden"));
        List<Map<String, Object>> entries = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path c : children.sorted().toList()) {
                String name = c.getFileName().toString();
                if (hidden || !name.startsWith(".")) {
                    Map<String, Object> e = describe(c);
                    e.put("name", name);
                    entries.add(e);
                }
            }
        }
        return reply(r, "directory_listing").with("entries", entries);
    }

    private Frame stat(Frame r) throws IOException, ProtocolException {
        Path p;
        try {
            p = guard.existing(pathOf(r));
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.PATH_NOT_FOUND) {
                return reply(r, "file_stat").with("exists", false);
            }
            throw e;
        }
        Frame f = reply(r, "file_stat").with("exists", true);
        for (Map.Entry<String, Object> e : describe(p).entrySet()) {
            f = f.with(e.getKey(), e.getValue());
        }
        return f;
    }

    private Frame read(Frame r) throws IOException, ProtocolException {
        Path p = guard.existing(pathOf(r));
        if (!Files.isRegularFile(p)) {
            throw new ProtocolException(ErrorCode.NOT_A_FILE, "not a regular file: " + pathOf(r), null);
        }
        long offset = r.number("offset", 0);
        long length = Math.min(r.number("length", MAX_READ), MAX_READ);
        if (offset < 0 || length < 0) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST, "\"offset\" and \"length\" must not be negative", null);
        }
        byte[] data;
        long size;
        try (SeekableByteChannel ch = Files.newByteChannel(p);
                InputStream in = Channels.newInputStream(ch)) {
            size = ch.size();
            ch.position(Math.min(offset, size));
            data = in.readNBytes((int) length);
        }
        return reply(r, "file_content")
                .with("offset", offset)
                .with("size", size)
                .with("bytes", data.length)
                .with("eof", offset + data.length >= size)
                .with("data_base64", Base64.getEncoder().encodeToString(data));
    }

    private Frame write(Frame r) throws IOException, ProtocolException {
        Path target = guard.forWrite(pathOf(r));
        String encoded = r.string("data_base64");
        if (encoded == null) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"data_base64\" is required", null);
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST, "\"data_base64\" is not base64: " + e.getMessage(), null);
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ProtocolException(ErrorCode.NOT_A_FILE, "is a directory: " + pathOf(r), null);
        }
        if (Boolean.TRUE.equals(r.fields().get("create_parents"))) {
            Files.createDirectories(target.getParent());
        }
        // Atomic: readers see the old content or the new, never a half-written file.
        Path tmp = Files.createTempFile(target.getParent(), ".oqto-write-", ".tmp");
        try {
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return reply(r, "file_written").with("bytes_written", data.length);
    }

    private Frame mkdir(Frame r) throws IOException, ProtocolException {
        Path dir = guard.forWrite(pathOf(r));
        if (Boolean.FALSE.equals(r.fields().get("create_parents"))) {
            Files.createDirectory(dir);
        } else if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ProtocolException(
                    ErrorCode.PATH_EXISTS, "already exists and is not a directory: " + pathOf(r), null);
        } else {
            Files.createDirectories(dir);
        }
        return reply(r, "directory_created");
    }

    private Frame delete(Frame r) throws IOException, ProtocolException {
        Path p = guard.existing(pathOf(r));
        if (p.equals(guard.root())) {
            throw new ProtocolException(
                    ErrorCode.PATH_NOT_ALLOWED,
                    "path " + pathOf(r) + " is not allowed: it is the workspace root itself",
                    null);
        }
        if (Files.isDirectory(p) && Boolean.TRUE.equals(r.fields().get("recursive"))) {
            // walkFileTree does not follow symbolic links: a link inside is removed, its target is not.
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } else {
            Files.delete(p);
        }
        return reply(r, "path_deleted");
    }

    private Frame rename(Frame r) throws IOException, ProtocolException {
        String fromName = r.string("from");
        String toName = r.string("to");
        if (fromName == null || toName == null) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"from\" and \"to\" are required", null);
        }
        Path from = guard.existing(fromName);
        Path to = guard.forWrite(toName);
        if (from.equals(guard.root())) {
            throw new ProtocolException(
                    ErrorCode.PATH_NOT_ALLOWED,
                    "path " + fromName + " is not allowed: it is the workspace root itself",
                    null);
        }
        // rename(2) replaces an existing target silently: refuse first unless overwriting was asked for.
        if (!Boolean.TRUE.equals(r.fields().get("overwrite")) && Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            throw new ProtocolException(
                    ErrorCode.PATH_EXISTS, "already exists (pass \"overwrite\": true): " + toName, null);
        }
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return reply(r, "path_renamed");
    }

    private static Map<String, Object> describe(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> m = new LinkedHashMap<>();
        // "kind", not "type": a top-level "type" would clash with the frame's own type.
        m.put(
                "kind",
                a.isSymbolicLink() ? "symlink" : a.isDirectory() ? "directory" : a.isRegularFile() ? "file" : "other");
        m.put("size", a.size());
        m.put("modified_ms", a.lastModifiedTime().toMillis());
        return m;
    }

    private static String pathOf(Frame r) throws ProtocolException {
        Object p = r.fields().get("path");
        if (!(p instanceof String s)) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"path\" is required and must be a string", null);
        }
        return s;
    }

    private static Frame reply(Frame request, String type) {
        return Frame.of(request.id(), type).with("path", request.fields().get("path"));
    }
}

package io.oqto.workspace.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.ConfinedWorkspace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files of any size, written in chunks (protocol 1.7): {@code begin_upload} makes a private temporary file beside the
 * target ({@code .oqto-upload-*.tmp}, 0600), {@code upload_chunk}s append to it in order, {@code finish_upload}
 * renames it over the target atomically, {@code abort_upload} removes it. The whole file is at most
 * {@code [workspace] max_upload_mb}, checked at the start when the size is known and at every chunk. At most
 * {@link #MAX_OPEN} uploads are open at once; one untouched for {@link #ABANDONED} is removed at the next request, and
 * {@link #close()} (the bundle stopping) removes every open one. No thread of its own.
 */
final class Uploads implements AutoCloseable {

    static final int MAX_OPEN = 16;
    static final Duration ABANDONED = Duration.ofMinutes(10);
    static final int MAX_CHUNK = 512 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One open upload; {@code bytes} and {@code touched} change as chunks arrive (under the store's lock). */
    private static final class Upload {
        final String id;
        final String path;
        final Path target;
        final Path temp;
        final FileChannel channel;
        long bytes;
        Instant touched;

        Upload(String id, String path, Path target, Path temp, FileChannel channel, Instant touched) {
            this.id = id;
            this.path = path;
            this.target = target;
            this.temp = temp;
            this.channel = channel;
            this.touched = touched;
        }
    }

    private final ConfinedWorkspace guard;
    private final long maxBytes;
    private final Clock clock;
    private final Map<String, Upload> open = new LinkedHashMap<>();

    Uploads(ConfinedWorkspace guard, long maxBytes, Clock clock) {
        this.guard = guard;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    synchronized Frame begin(Frame r, String path) throws IOException, ProtocolException {
        sweep();
        long size = r.whole("size", -1, 0, Long.MAX_VALUE);
        if (size > maxBytes) {
            throw tooLarge(path);
        }
        if (open.size() >= MAX_OPEN) {
            throw new ProtocolException(
                    ErrorCode.BUSY, MAX_OPEN + " uploads are open already: finish or abort one first", null);
        }
        Path target = guard.forWrite(path);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ProtocolException(ErrorCode.NOT_A_FILE, "is a directory: " + path, null);
        }
        if (Boolean.TRUE.equals(r.fields().get("create_parents"))) {
            Files.createDirectories(target.getParent());
        }
        Path temp = Files.createTempFile(target.getParent(), ".oqto-upload-", ".tmp"); // 0600
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        open.put(id, new Upload(id, path, target, temp, channel, clock.instant()));
        return Frame.of(r.id(), "upload_started").with("path", path).with("upload", id);
    }

    synchronized Frame chunk(Frame r) throws IOException, ProtocolException {
        sweep();
        Upload u = upload(r);
        long offset = r.whole("offset", -1, 0, Long.MAX_VALUE);
        if (offset != u.bytes) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST,
                    "chunks come in order: this one is at offset " + offset + ", the upload has " + u.bytes + " bytes",
                    null);
        }
        byte[] data = decode(r);
        if (data.length > MAX_CHUNK) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST, "a chunk is at most " + MAX_CHUNK + " bytes, not " + data.length, null);
        }
        if (u.bytes + data.length > maxBytes) {
            drop(u.id);
            throw tooLarge(u.path);
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            u.channel.write(buffer);
        }
        u.bytes += data.length;
        u.touched = clock.instant();
        return Frame.of(r.id(), "upload_progress").with("upload", u.id).with("bytes", u.bytes);
    }

    synchronized Frame finish(Frame r) throws IOException, ProtocolException {
        Upload u = upload(r);
        open.remove(u.id);
        try {
            u.channel.force(true);
            u.channel.close();
            // Readers see the old file or the whole new one, never a part.
            Files.move(u.temp, u.target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(u.temp);
        }
        return Frame.of(r.id(), "file_written").with("path", u.path).with("bytes_written", u.bytes);
    }

    synchronized Frame abort(Frame r) throws IOException, ProtocolException {
        Upload u = upload(r);
        drop(u.id);
        return Frame.of(r.id(), "upload_aborted").with("upload", u.id);
    }

    /** How many uploads are open (for tests). */
    synchronized int openCount() {
        return open.size();
    }

    @Override
    public synchronized void close() {
        for (String id : Map.copyOf(open).keySet()) {
            try {
                drop(id);
            } catch (IOException e) {
                // The bundle is stopping; a temporary file left behind is hidden and named as ours.
            }
        }
    }

    private Upload upload(Frame r) throws ProtocolException {
        String id = r.string("upload");
        Upload u = id == null ? null : open.get(id);
        if (u == null) {
            throw new ProtocolException(
                    ErrorCode.UPLOAD_NOT_FOUND,
                    "no upload " + id + ": never begun, finished, aborted, or untouched for " + ABANDONED.toMinutes()
                            + " minutes",
                    null);
        }
        return u;
    }

    private void drop(String id) throws IOException {
        Upload u = open.remove(id);
        if (u != null) {
            u.channel.close();
            Files.deleteIfExists(u.temp);
        }
    }

    private void sweep() throws IOException {
        Instant cutoff = clock.instant().minus(ABANDONED);
        for (Map.Entry<String, Upload> e : Map.copyOf(open).entrySet()) {
            if (e.getValue().touched.isBefore(cutoff)) {
                drop(e.getKey());
            }
        }
    }

    private ProtocolException tooLarge(String path) {
        return new ProtocolException(
                ErrorCode.TOO_LARGE,
                path + " is larger than [workspace] max_upload_mb (" + (maxBytes >> 20) + " MiB); nothing was written",
                null);
    }

    private static byte[] decode(Frame r) throws ProtocolException {
        String encoded = r.string("data_base64");
        if (encoded == null) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "\"data_base64\" is required", null);
        }
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(
                    ErrorCode.INVALID_REQUEST, "\"data_base64\" is not base64: " + e.getMessage(), null);
        }
    }
}

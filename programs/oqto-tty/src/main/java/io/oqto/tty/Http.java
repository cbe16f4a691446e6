package io.oqto.tty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** The little HTTP/1.1 this program speaks before a WebSocket: one request head in, one short answer out. */
final class Http {

    /** The longest request head read; a longer one is refused. */
    static final int MAX_HEAD = 16 * 1024;

    /** A request head (up to and with its blank line) and the bytes that came after it. */
    record Head(ByteBuffer head, ByteBuffer rest) {}

    private Http() {}

    /** Reads up to the end of the head; null when the client left first or sent more than {@link #MAX_HEAD}. */
    static Head readHead(SocketChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_HEAD);
        while (true) {
            int end = endOfHead(buf);
            if (end >= 0) {
                ByteBuffer all = buf.duplicate().flip();
                ByteBuffer head = all.duplicate().limit(end);
                ByteBuffer rest = all.duplicate().position(end);
                return new Head(head, rest);
            }
            if (!buf.hasRemaining()) {
                throw new IOException("request head over " + MAX_HEAD + " bytes");
            }
            if (channel.read(buf) < 0) {
                throw new IOException("the client left before its request head ended");
            }
        }
    }

    /** Where the head ends (after its CR LF CR LF) in what was read so far, or -1. */
    private static int endOfHead(ByteBuffer buf) {
        for (int i = 3; i < buf.position(); i++) {
            if (buf.get(i - 3) == '\r' && buf.get(i - 2) == '\n' && buf.get(i - 1) == '\r' && buf.get(i) == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    static void respond(SocketChannel channel, int status, String reason, String body) throws IOException {
        respond(channel, status, reason, "text/plain; charset=utf-8", body);
    }

    static void respond(SocketChannel channel, int status, String reason, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + b.length + "\r\nConnection: close\r\n\r\n";
        ByteBuffer out = ByteBuffer.allocate(head.length() + b.length);
        out.put(head.getBytes(StandardCharsets.US_ASCII)).put(b).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }
}

package io.oqto.audit.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * systemd-journald's native protocol: one datagram per entry to its socket, {@code FIELD=value} lines. The audit
 * line is JSON on one line (no raw newline), so the simple form of the protocol carries it; {@code journalctl -t
 * oqto-audit} shows the entries.
 */
final class Journal implements Closeable {

    static final String IDENTIFIER = "oqto-audit";

    private final AFUNIXSocketAddress socket;
    private final AFUNIXDatagramChannel out;

    Journal(Path socket) throws IOException {
        this.socket = AFUNIXSocketAddress.of(socket);
        this.out = AFUNIXDatagramChannel.open();
        // Never wait for the journal: a full queue drops the entry (the file has it), it does not stall a request.
        out.configureBlocking(false);
    }

    /** Sends {@code jsonLine}; {@code warning} for refused and failed actions (priority 4, else 5: notice). */
    void send(String jsonLine, boolean warning) throws IOException {
        byte[] entry = ("MESSAGE=" + jsonLine + "\nSYSLOG_IDENTIFIER=" + IDENTIFIER + "\nPRIORITY=" + (warning ? 4 : 5)
                        + "\n")
                .getBytes(StandardCharsets.UTF_8);
        if (out.send(ByteBuffer.wrap(entry), socket) == 0) {
            throw new IOException("the journal's queue is full: entry dropped");
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

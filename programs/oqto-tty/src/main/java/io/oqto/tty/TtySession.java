package io.oqto.tty;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.java_websocket.framing.CloseFrame;
import org.jspecify.annotations.Nullable;

/**
 * One terminal on one WebSocket, in ttyd's protocol (services-spec §5): the client's first message is
 * {@code {"AuthToken":…,"columns":N,"rows":M}}; then the command starts on a pseudo-terminal of that size and the
 * server sends {@code '1'+title} and {@code '2'+preferences}, then {@code '0'+output} as it comes. The client sends
 * {@code '0'+input}, {@code '1'+{"columns":N,"rows":M}} (resize), {@code '2'} (pause output) and {@code '3'}
 * (resume). The command ends when the connection does (and the connection when the command does).
 */
final class TtySession {

    static final int OUTPUT_CHUNK = 16 * 1024;
    static final int MAX_SIZE = 1000;
    private static final JsonFactory JSON = new JsonFactory();

    /** A terminal's size. */
    record Size(int columns, int rows) {}

    private final WebSocketConnection ws;
    private final Settings settings;
    private final Object pause = new Object();
    private boolean paused;
    private volatile boolean ended;

    TtySession(WebSocketConnection ws, Settings settings) {
        this.ws = ws;
        this.settings = settings;
    }

    /** Serves the terminal until either side ends it; true when a command ran. */
    boolean run() throws IOException {
        byte[] first = ws.next();
        if (first == null) {
            return false;
        }
        Size size = first.length > 0 && first[0] == '{' ? size(first, 0) : null;
        if (size == null) {
            ws.close(CloseFrame.PROTOCOL_ERROR, "the first message is {\"columns\":N,\"rows\":M}");
            return false;
        }
        PtyProcess process = start(size);
        Thread output = new Thread(() -> pump(process), "oqto-tty-output");
        output.setDaemon(true);
        try {
            String title = settings.command().get(0) + " (" + hostname() + ")";
            send('1', title.getBytes(StandardCharsets.UTF_8));
            send('2', "{}".getBytes(StandardCharsets.UTF_8));
            output.start();
            OutputStream input = process.getOutputStream();
            byte[] d;
            while ((d = ws.next()) != null) {
                if (d.length == 0) {
                    continue;
                }
                switch (d[0]) {
                    case '0' -> {
                        // Not write(d, 1, n): pty4j's stream copies from index 0 and fails with an offset.
                        input.write(Arrays.copyOfRange(d, 1, d.length));
                        input.flush();
                    }
                    case '1' -> {
                        Size s = size(d, 1);
                        if (s != null) {
                            process.setWinSize(new WinSize(s.columns(), s.rows()));
                        }
                    }
                    case '2' -> setPaused(true);
                    case '3' -> setPaused(false);
                    default -> {
                        // unknown commands are ignored, as ttyd does
                    }
                }
            }
        } finally {
            ended = true;
            setPaused(false);
            end(process);
            ws.close(CloseFrame.NORMAL, "");
        }
        return true;
    }

    private PtyProcess start(Size size) throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TERM", "xterm-256color");
        env.putIfAbsent("LANG", "C.UTF-8");
        return new PtyProcessBuilder(settings.command().toArray(String[]::new))
                .setEnvironment(env)
                .setDirectory(settings.cwd().toString())
                .setInitialColumns(size.columns())
                .setInitialRows(size.rows())
                .setConsole(false)
                .start();
    }

    /** The terminal's output to the client, as fast as the client takes it; when the command ends, the close. */
    private void pump(PtyProcess process) {
        byte[] buf = new byte[OUTPUT_CHUNK + 1];
        buf[0] = '0';
        try (InputStream out = process.getInputStream()) {
            int n;
            while ((n = read(out, buf)) > 0) {
                ws.sendBinary(buf, 0, n + 1);
            }
        } catch (IOException e) {
            // the client left, or the terminal closed
        }
        if (!ended) {
            int code = waitFor(process);
            ws.close(CloseFrame.NORMAL, "exit " + code);
        }
    }

    /** Reads output unless paused; a pause holds the output in the terminal (its writer blocks), not in memory. */
    private int read(InputStream out, byte[] buf) throws IOException {
        synchronized (pause) {
            while (paused) {
                try {
                    pause.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
        }
        int n = out.read(buf, 1, OUTPUT_CHUNK);
        return n;
    }

    private void setPaused(boolean p) {
        synchronized (pause) {
            paused = p;
            pause.notifyAll();
        }
    }

    private void send(char command, byte[] payload) throws IOException {
        byte[] b = new byte[payload.length + 1];
        b[0] = (byte) command;
        System.arraycopy(payload, 0, b, 1, payload.length);
        ws.sendBinary(b, 0, b.length);
    }

    /**
     * Ends the command and all it started: closing the terminal hangs it up (SIGHUP to its session), then what it
     * had started, taken before the hang-up (orphans are reparented after it), is killed after a moment. The sandbox's PID namespace ends with this program, taking anything that got
     * away.
     */
    private static void end(PtyProcess process) {
        // pty4j's Process has no handle of its own; the JDK's, by pid.
        ProcessHandle self = ProcessHandle.of(process.pid()).orElse(null);
        List<ProcessHandle> family =
                self == null ? List.of() : self.descendants().toList();
        process.destroy();
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle p : family) {
            p.destroyForcibly();
        }
        process.destroyForcibly();
    }

    private static int waitFor(PtyProcess process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code {"columns":N,"rows":M}} from {@code data[from…]}; null when it is not that (sizes kept in 1–1000). */
    static @Nullable Size size(byte[] data, int from) {
        int columns = 80;
        int rows = 24;
        try (JsonParser p = JSON.createParser(data, from, data.length - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("columns") && v == JsonToken.VALUE_NUMBER_INT) {
                    columns = p.getIntValue();
                } else if (field.equals("rows") && v == JsonToken.VALUE_NUMBER_INT) {
                    rows = p.getIntValue();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new Size(clamp(columns), clamp(rows));
    }

    private static int clamp(int v) {
        return Math.max(1, Math.min(MAX_SIZE, v));
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

package io.oqto.process.internal;

import io.oqto.runner.spi.SequencedBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** How to tell that a program has started for real, not merely been spawned. */
interface Readiness {

    /** Called once, right after the spawn (e.g. to send a request the program must answer). */
    default void begin(ManagedProcess process) throws IOException {}

    /** Whether the program is ready now; polled until it is, it exits, or time runs out. */
    boolean ready(ManagedProcess process);

    /** What is being waited for, for error messages. */
    String describe();

    /** ttyd and the file server: the socket exists and {@code GET path} on it answers 200. */
    static Readiness httpOnSocket(Path socket, String path) {
        return new Readiness() {
            @Override
            public boolean ready(ManagedProcess process) {
                if (!Files.exists(socket)) {
                    return false;
                }
                try {
                    return UnixHttp.get(socket, path) == 200;
                } catch (IOException e) {
                    return false;
                }
            }

            @Override
            public String describe() {
                return "GET " + path + " on " + socket + " to answer 200";
            }
        };
    }

    /**
     * pi in RPC mode: it answers a {@code get_state} command with a response carrying the same id. The
     * exchange stays in the output like any other line.
     */
    static Readiness rpcAnswer() {
        String id = "oqto-ready";
        return new Readiness() {
            private long cursor;

            @Override
            public void begin(ManagedProcess process) throws IOException {
                process.writeStdin(
                        ("{\"id\":\"" + id + "\",\"type\":\"get_state\"}\n").getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public boolean ready(ManagedProcess process) {
                SequencedBuffer.Slice<OutputBuffer.Line> s = process.output().after(cursor, 1000);
                cursor = s.next();
                return s.items().stream()
                        .anyMatch(l -> l.stream().equals("stdout")
                                && l.text().contains("\"id\":\"" + id + "\"")
                                && l.text().contains("\"type\":\"response\""));
            }

            @Override
            public String describe() {
                return "an answer to get_state on stdout";
            }
        };
    }
}

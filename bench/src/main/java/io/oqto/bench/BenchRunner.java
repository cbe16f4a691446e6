package io.oqto.bench;

import io.oqto.testing.llm.FakeLlm;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One runner from an unpacked runner install, with its own home, base, config and socket, spoken to over its socket
 * (the benches that compare runners side by side): requests answered by id, an agent session prompted until
 * {@code agent.idle}, and its RSS.
 */
final class BenchRunner implements AutoCloseable {

    final String name;
    final Process process;
    final Path dir;
    private final Path socket;
    private final Line commands;
    private @Nullable Line events;
    private int ids;

    private BenchRunner(String name, Process process, Path dir, Path socket) throws Exception {
        this.name = name;
        this.process = process;
        this.dir = dir;
        this.socket = socket;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "runner " + name + " did not come up; see " + dir.resolve("runner.log"));
            }
            Thread.sleep(50);
        }
        commands = new Line(socket);
    }

    /**
     * Starts {@code bin/oqto-runner} of {@code install} in {@code dir} (home, base, workspace, runtime directory) with
     * {@code config} as its config.toml (after its own [workspace] root, 0600).
     */
    static BenchRunner start(Path install, Path dir, String name, List<String> config) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path rt = Files.createDirectories(dir.resolve("rt"));
        Files.setPosixFilePermissions(rt, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir.resolve("ws"));
        Path socket = dir.resolve("r.sock");
        Path toml = dir.resolve("config.toml");
        List<String> lines = new ArrayList<>(List.of("[workspace]", "root = \"" + dir.resolve("ws") + "\""));
        lines.addAll(config);
        Files.writeString(toml, String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(toml, PosixFilePermissions.fromString("rw-------"));
        ProcessBuilder pb = new ProcessBuilder(
                        install.resolve("bin/oqto-runner").toString(), "--socket", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("runner.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.remove("XDG_STATE_HOME");
        env.remove("XDG_CONFIG_HOME");
        env.put("XDG_RUNTIME_DIR", rt.toString());
        env.put("OQTO_CONFIG", toml.toString());
        env.put("OQTO_RUNNER_BASE", dir.resolve("base").toString());
        return new BenchRunner(name, pb.start(), dir, socket);
    }

    /** The config lines of an agent with the fake LLM as its provider. */
    static List<String> agent(String pi, String llm) {
        return List.of(
                "[programs]",
                "pi = \"" + pi + "\"",
                "[agent]",
                "providers = [\"fake openai-completions " + llm + " literal:test-key " + FakeLlm.MODEL + "\"]");
    }

    /** Waits until {@code request} (no id) is answered with a reply containing {@code expected}. */
    void await(String request, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!call(request).contains(expected)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("runner " + name + ": " + request + " never answered " + expected);
            }
            Thread.sleep(200);
        }
    }

    /** One request (a JSON object without id), its reply line. */
    String call(String request) throws Exception {
        String id = "b" + ids++;
        return commands.call("{\"id\":\"" + id + "\"," + request.substring(1), id);
    }

    void createSession() throws Exception {
        String created = call("{\"type\":\"create_session\",\"session\":\"bench\",\"provider\":\"fake\",\"model\":\""
                + FakeLlm.MODEL + "\"}");
        if (!created.contains("session_created")) {
            throw new IllegalStateException(name + ": " + created);
        }
        Line sub = new Line(socket);
        sub.call("{\"id\":\"sub\",\"type\":\"subscribe_session\",\"session\":\"bench\"}", "sub");
        sub.await("\"state\":\"idle\"");
        events = sub;
        call("{\"type\":\"session_command\",\"session\":\"bench\",\"command\":\"set_auto_retry\",\"enabled\":false}");
    }

    /** One prompt until the session's {@code agent.idle}, in nanoseconds. */
    long turn() throws Exception {
        long t0 = System.nanoTime();
        String reply = call("{\"type\":\"session_command\",\"session\":\"bench\",\"command\":\"prompt\","
                + "\"message\":\"hello\"}");
        if (!reply.contains("session_reply")) {
            throw new IllegalStateException(name + ": " + reply);
        }
        Line sub = events;
        if (sub == null) {
            throw new IllegalStateException(name + ": no session");
        }
        sub.await("\"agent.idle\"");
        return System.nanoTime() - t0;
    }

    void deleteSession() throws Exception {
        Line sub = events;
        if (sub != null) {
            sub.close();
        }
        call("{\"type\":\"delete_session\",\"session\":\"bench\"}");
    }

    /** VmRSS and RssAnon in MiB. */
    double[] rss() throws Exception {
        double rss = 0, anon = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            String[] f = line.split("\\s+", -1);
            if (f[0].equals("VmRSS:")) {
                rss = Long.parseLong(f[1]) / 1024.0;
            } else if (f[0].equals("RssAnon:")) {
                anon = Long.parseLong(f[1]) / 1024.0;
            }
        }
        return new double[] {rss, anon};
    }

    @Override
    public void close() throws Exception {
        commands.close();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** One connection to a runner: hello, then requests answered by id, or lines awaited. */
    private static final class Line implements AutoCloseable {
        private final SocketChannel channel;
        private final BufferedReader in;
        private final OutputStream out;

        Line(Path socket) throws Exception {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            out = Channels.newOutputStream(channel);
            call("{\"id\":\"hello\",\"type\":\"hello\",\"protocol\":\"1.6\"}", "hello");
        }

        String call(String line, String id) throws Exception {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return await("\"id\":\"" + id + "\"");
        }

        String await(String text) throws Exception {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.contains(text)) {
                    return line;
                }
            }
            throw new IllegalStateException("connection closed waiting for " + text);
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }
    }
}

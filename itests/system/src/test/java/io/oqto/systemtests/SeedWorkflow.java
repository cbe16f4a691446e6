package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.llm.FakeLlm;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The seed's workflow on a real install, as an operator runs it: the steps of docs/running.md executed
 * literally (as root, so {@code sudo} is dropped), the operator's edit of {@code /etc/oqto/config.toml},
 * {@code oqtoctl user create alice --email alice@example.com}, alice's runner answering through REST, a
 * chat with the real pi against the fake LLM, and {@code oqtoctl user delete alice}. Used by the package
 * and tarball install tests; {@link #close()} stops what it started and removes alice if she is left.
 */
final class SeedWorkflow implements AutoCloseable {

    static final Duration WAIT = Duration.ofMinutes(2);
    static final Path CONFIG = Path.of("/etc/oqto/config.toml");
    static final Path SHARED_KEY = Path.of("/etc/oqto/shared/fake.key");
    static final Path RUNNING_MD = Path.of("../../docs/running.md");
    static final String ALICE = "alice";

    /** The operator's working directory (the downloads, the logs of the services started from the steps). */
    final Path work;

    final FakeLlm llm;
    final ControlPlaneApi api;
    final List<Process> background = new ArrayList<>();
    String aliceToken;
    String operatorConfig;

    /** {@code name}: of the test, for its working directory in /tmp. */
    SeedWorkflow(String name) throws Exception {
        assertEquals(
                "0",
                Commands.runOk(List.of("id", "-u")).output().strip(),
                "installing needs root (CI has it); no skip");
        this.work = Files.createTempDirectory(Path.of("/tmp"), "oqto-" + name + "-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.llm = new FakeLlm(0);
        this.api = new ControlPlaneApi(Commands.freePort());
    }

    /** The commands of the fenced block after {@code <!-- steps: NAME -->} in docs/running.md, comments removed. */
    static List<String> documentedSteps(String name) throws IOException {
        String md = Files.readString(RUNNING_MD);
        Matcher m = Pattern.compile("<!-- steps: " + Pattern.quote(name) + " -->\n```sh\n(.*?)```", Pattern.DOTALL)
                .matcher(md);
        assertTrue(m.find(), "docs/running.md has the steps " + name);
        return m.group(1)
                .lines()
                .map(l -> l.replaceAll("\\s+#.*$", "").strip())
                .filter(l -> !l.isEmpty())
                .toList();
    }

    /**
     * Runs documented steps in {@link #work}, as root: {@code sudo} dropped, {@code sudoedit} of the configuration
     * becomes {@link #editConfiguration}, {@code systemctl} (systemd is not PID 1 here) becomes the documented
     * steps {@code withoutSystemd}; a line ending in {@code &} is started in the background and kept.
     */
    void runSteps(List<String> steps, List<String> withoutSystemd, String runnerCommand) throws Exception {
        for (String step : steps) {
            String line = step.startsWith("sudo ") ? step.substring(5) : step;
            if (line.startsWith("sudoedit /etc/oqto/config.toml")) {
                editConfiguration(runnerCommand);
            } else if (line.startsWith("systemctl ")) {
                runSteps(withoutSystemd, List.of(), runnerCommand);
                Commands.waitFor("control plane health", WAIT, () -> api.status("/api/health") == 200, logs());
            } else if (line.endsWith("&")) {
                Path log = work.resolve("background-" + background.size() + ".log");
                background.add(new ProcessBuilder(
                                "sh",
                                "-c",
                                "exec " + line.substring(0, line.length() - 1).strip())
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start());
            } else if (line.startsWith("oqtoctl user create ")) {
                Commands.Result created = shell(line);
                assertEquals(0, created.exit(), created.output() + Commands.tails(logs()));
                assertTrue(
                        created.output().contains("created " + ALICE + ": Linux user oqto_" + ALICE), created.output());
                aliceToken = Commands.printedToken(created);
            } else {
                Commands.Result r = shell(line);
                assertEquals(0, r.exit(), line + ":\n" + r.output());
            }
        }
    }

    /** A command line run by {@code sh} in {@link #work}, to completion. */
    Commands.Result shell(String line) throws Exception {
        return Commands.run(new ProcessBuilder("sh", "-c", line).directory(work.toFile()), WAIT);
    }

    /**
     * The operator's edit: the port, pi, the fake LLM as a provider whose key is shared with the platform users
     * (in /etc/oqto/shared, 0640 root:oqto-users), a bound on the runner's first answer. No secret in the file.
     */
    void editConfiguration(String runnerCommand) throws Exception {
        Path pi =
                Path.of("../../.tools/pi/node_modules/.bin/pi").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(pi), "pi is installed by scripts/install-test-deps at " + pi);
        Files.writeString(SHARED_KEY, "test-key\n");
        Commands.runOk(List.of("chown", "root:oqto-users", SHARED_KEY.toString()));
        Files.setPosixFilePermissions(SHARED_KEY, PosixFilePermissions.fromString("rw-r-----"));
        operatorConfig = String.join(
                "\n",
                "# edited by the operator",
                "[server]",
                "port = " + api.port,
                "[runner]",
                "control_plane_user = \"oqto\"",
                "[programs]",
                "pi = \"" + pi + "\"",
                "[agent]",
                "providers = [\"fake openai-completions " + llm.baseUrl() + " file:" + SHARED_KEY + " " + FakeLlm.MODEL
                        + "\"]",
                "shared_provider_keys = true",
                "[usermgr]",
                "skeleton = \"/etc/oqto/skel\"",
                "runner_command = \"" + runnerCommand + "\"",
                "ready_timeout_ms = 90000",
                "");
        Files.writeString(CONFIG, operatorConfig);
    }

    /** Alice's runner answers through REST with her own token, and runs as her Linux user. */
    long aliceRunnerAnswers() throws Exception {
        HttpResponse<String> runner = api.send("GET", "/api/v1/users/me/runner", null, aliceToken);
        assertEquals(200, runner.statusCode(), runner.body() + Commands.tails(logs()));
        long pid = MultiUserDeployment.pidIn(runner.body());
        assertEquals(
                Commands.uidOf("oqto_" + ALICE),
                MultiUserDeployment.uidOfProcess(pid),
                "the runner runs as oqto_alice");
        return pid;
    }

    /**
     * Alice's runner maps the class-data archive the install made ({@code bin/oqto-runner-cds}) from the install:
     * one file every runner of the host shares. The runners ignore an archive the JVM refuses (-Xshare:auto), so
     * only the runner's memory map shows that it is used.
     */
    void aliceRunnerMapsTheSharedClassArchive(Path runnerHome) throws Exception {
        Path archive = runnerHome.resolve("lib/oqto-runner.jsa");
        assertTrue(Files.isRegularFile(archive), "the install made " + archive);
        assertEquals("root", Commands.ownerOf(archive));
        assertEquals(
                "rw-r--r--",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
        long pid = aliceRunnerAnswers();
        String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
        assertTrue(maps.contains(" " + archive), "alice's runner maps " + archive);
    }

    /** A session with the real pi: the fake LLM's reply streams back. */
    void aliceChats(String session, String message) throws Exception {
        HttpResponse<String> created = api.send(
                "POST",
                "/api/v1/users/" + ALICE + "/sessions",
                "{\"session\":\"" + session + "\",\"provider\":\"fake\",\"model\":\"" + FakeLlm.MODEL + "\"}",
                aliceToken);
        assertEquals(201, created.statusCode(), created.body() + Commands.tails(logs()));
        try (SseClient sse = new SseClient(
                api.http, api.url("/api/v1/users/" + ALICE + "/sessions/" + session + "/events"), aliceToken, null)) {
            sse.await(e -> e.name().equals("session.state") && e.data().contains("\"state\":\"idle\""), "idle", WAIT);
            assertEquals(
                    200,
                    api.send(
                                    "POST",
                                    "/api/v1/users/" + ALICE + "/sessions/" + session + "/prompt",
                                    "{\"message\":\"" + message + "\"}",
                                    aliceToken)
                            .statusCode());
            sse.await(e -> text(sse.events).endsWith("You said: " + message), "the reply", WAIT);
        }
    }

    /** {@code oqtoctl user delete alice}: no account, home or process is left of her. */
    void deleteAlice() throws Exception {
        Commands.Result deleted = shell("oqtoctl user delete " + ALICE);
        assertEquals(0, deleted.exit(), deleted.output());
        assertFalse(
                Commands.run(List.of("id", "oqto_" + ALICE), Duration.ofSeconds(10))
                                .exit()
                        == 0,
                "no account");
        assertFalse(Files.exists(Path.of("/home/oqto_" + ALICE)), "no home");
    }

    /** Stops the helper and the control plane started in the background (the operator's restart). */
    void stopBackground() throws InterruptedException {
        Commands.stop(background);
        background.clear();
    }

    static String text(List<SseClient.Event> events) {
        return events.stream()
                .filter(e -> e.name().equals("message.delta") && e.data().contains("\"kind\":\"text\""))
                .map(e -> e.data().replaceAll(".*\"delta\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1"))
                .collect(Collectors.joining());
    }

    Path[] logs() {
        try (var s = Files.list(work)) {
            return s.filter(p -> p.toString().endsWith(".log")).toArray(Path[]::new);
        } catch (IOException e) {
            return new Path[0];
        }
    }

    /** What exists of the machine's files and accounts under the roots an install touches, for before/after. */
    static Map<String, String> machine() throws Exception {
        Map<String, String> seen = new TreeMap<>();
        for (String root : List.of(
                "/etc",
                "/usr/lib",
                "/usr/bin",
                "/usr/sbin",
                "/usr/local",
                "/usr/share/doc",
                "/opt",
                "/var/lib",
                "/run")) {
            Commands.Result r = Commands.run(
                    List.of(
                            "find",
                            root,
                            "-xdev",
                            "(",
                            "-path",
                            "/var/lib/dpkg",
                            "-o",
                            "-path",
                            "/var/lib/apt",
                            "-o",
                            "-path",
                            "/var/lib/systemd/deb-systemd-helper-enabled",
                            "-o",
                            "-path",
                            "/run/user",
                            "-o",
                            "-path",
                            "/etc/ld.so.cache",
                            "-o",
                            "-path",
                            "/var/lib/ucf",
                            ")",
                            "-prune",
                            "-o",
                            "-printf",
                            "%p %M %u:%g\\n"),
                    Duration.ofMinutes(2));
            for (String line : r.output().lines().toList()) {
                int sp = line.indexOf(' ');
                seen.put(line.substring(0, sp), line.substring(sp + 1));
            }
        }
        for (String accounts :
                List.of("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/subuid", "/etc/subgid")) {
            Path p = Path.of(accounts);
            if (Files.exists(p)) {
                // Contents, not times: the account tools rewrite the files. Password ages are dates of today.
                seen.put(accounts + " (content)", Files.readString(p));
            }
        }
        return seen;
    }

    @Override
    public void close() throws Exception {
        try {
            stopBackground();
            llm.close();
        } finally {
            Commands.removePlatformUser("oqto_" + ALICE);
            Commands.removeUsersAndTree(List.of(), work);
        }
    }
}

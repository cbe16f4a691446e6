package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.eavs.FakeEavs;
import io.oqto.testing.llm.FakeLlm;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The seed's multi-user deployment, for real, as the system tests set it up: the root helper runs as root,
 * the control plane as the system user {@code oqto} (created when the machine has none), runners under
 * the platform users' own UIDs, supervised by the helper (no systemd here), the real pi against a fake LLM.
 * {@link #close()} removes every user, group, file and process it made.
 */
final class MultiUserDeployment implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final Path SANDBOX_POLICY = Path.of("/etc/oqto/sandbox.toml");

    final String tag = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    final String group = "oqtotest" + tag;
    final ControlPlaneApi api;
    final HttpClient http;
    final Path work;
    final Distribution controlPlane;
    final Distribution helperDist;
    final FakeLlm llm;
    /** The eavs double every agent reaches the fake LLM through; null when the deployment has no eavs. */
    final @Nullable FakeEavs eavs;

    static final String EAVS_MASTER_KEY = "eavs-master-" + Long.toString(System.nanoTime(), 36);
    final Path config;
    final Path secrets;
    /** While this file exists, a (re)started fake hstry waits instead of serving: hstry is down. */
    final Path hstryDown;

    final Path helperSocket;
    final Path helperLog;
    final Path cpLog;
    final Map<String, String> cpEnv;
    final int port;
    final String adminToken;
    /** The control plane's console (Karaf's ssh, loopback only), a free port of its own. */
    final int consolePort;

    private final List<String> users = new CopyOnWriteArrayList<>();
    private boolean createdServiceUser;
    private boolean createdSandboxPolicy;

    MultiUserDeployment() throws Exception {
        this(List.of());
    }

    /** {@code agentSettings}: more lines for {@code [agent]}, e.g. a short idle timeout. */
    MultiUserDeployment(List<String> agentSettings) throws Exception {
        this(agentSettings, null);
    }

    /**
     * With {@code eavsSettings} (lines for {@code [eavs]}, e.g. a budget): agents reach the fake LLM only through
     * the eavs double, with each user's own key; no provider key is configured anywhere else.
     */
    MultiUserDeployment(List<String> agentSettings, @Nullable List<String> eavsSettings) throws Exception {
        this(agentSettings, eavsSettings, false);
    }

    /**
     * {@code perUserEavs}: no central eavs; each user's own eavs (the double, {@code FakeEavs.main}) is started
     * by the helper as the user's eavs service, from the config provisioning writes into the user's home.
     */
    MultiUserDeployment(List<String> agentSettings, @Nullable List<String> eavsSettings, boolean perUserEavs)
            throws Exception {
        this(agentSettings, eavsSettings, perUserEavs, false);
    }

    /**
     * {@code fakeHstry}: each user's hstry is the double ({@code FakeHstry.main}, {@code hstry service run}), started
     * by the helper as the user's hstry service, and the runners keep history in it ({@code [history] store =
     * "hstry"}); while {@link #hstryDown} exists a restarted hstry waits before it serves. Otherwise the runners use
     * the embedded store (no hstry program is installed here).
     */
    MultiUserDeployment(
            List<String> agentSettings, @Nullable List<String> eavsSettings, boolean perUserEavs, boolean fakeHstry)
            throws Exception {
        this(agentSettings, eavsSettings, perUserEavs, fakeHstry, List.of(), List.of());
    }

    /** {@code runnerSettings}: more lines for {@code [runner]}, e.g. a short idle exit. */
    static MultiUserDeployment withRunnerSettings(List<String> runnerSettings) throws Exception {
        return withSettings(runnerSettings, List.of());
    }

    /** {@code usermgrSettings}: more lines for {@code [usermgr]}, e.g. how many runners start at once. */
    static MultiUserDeployment withSettings(List<String> runnerSettings, List<String> usermgrSettings)
            throws Exception {
        return new MultiUserDeployment(List.of(), null, false, false, runnerSettings, usermgrSettings);
    }

    private MultiUserDeployment(
            List<String> agentSettings,
            @Nullable List<String> eavsSettings,
            boolean perUserEavs,
            boolean fakeHstry,
            List<String> runnerSettings,
            List<String> usermgrSettings)
            throws Exception {
        assertEquals(
                "0",
                Commands.runOk(List.of("id", "-u")).output().strip(),
                "the multi-user tests create Linux users and run a root helper: they need root (CI has it); they do not skip");
        Path pi =
                Path.of("../../.tools/pi/node_modules/.bin/pi").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(pi), "pi is installed by scripts/install-test-deps at " + pi);
        if (Commands.run(List.of("id", "-u", "oqto"), Duration.ofSeconds(10)).exit() != 0) {
            Commands.runOk(List.of(
                    "useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "oqto"));
            createdServiceUser = true;
        }
        if (!Files.exists(SANDBOX_POLICY)) {
            Files.createDirectories(SANDBOX_POLICY.getParent());
            Files.writeString(SANDBOX_POLICY, "enabled = true\nprofile = \"development\"\n");
            createdSandboxPolicy = true;
        }
        llm = new FakeLlm(0);
        eavs = eavsSettings == null ? null : FakeEavs.inFrontOf(llm.baseUrl(), FakeLlm.MODEL, EAVS_MASTER_KEY);
        work = Files.createTempDirectory(Path.of("/tmp"), "oqto-mu-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        controlPlane = Distribution.unpack("oqto.controlPlane.tarball", work.resolve("cp"));
        // A console port of its own (Karaf's default is 8101): a deployment never talks to another one's console.
        consolePort = Commands.freePort();
        Path shellCfg = controlPlane.home.resolve("etc/org.apache.karaf.shell.cfg");
        Files.writeString(
                shellCfg, Files.readString(shellCfg).replaceFirst("(?m)^sshPort\\s*=.*$", "sshPort = " + consolePort));
        Distribution runnerDist = Distribution.unpack("oqto.runner.tarball", work.resolve("runner"));
        helperDist = Distribution.unpack("oqto.controlPlane.tarball", work.resolve("helper"));
        Path skel = Files.createDirectories(work.resolve("skel"));
        Files.writeString(skel.resolve(".from-skeleton"), "copied from the skeleton\n");
        Path services = Files.createDirectories(work.resolve("services"));
        hstryDown = work.resolve("hstry-down");
        if (fakeHstry) {
            copyJars(
                    work.resolve("hstry-lib"),
                    List.of(
                            "oqto-fake-hstry",
                            "oqto-hstry-proto",
                            "grpc-",
                            "protobuf-java",
                            "proto-google-common-protos",
                            "guava",
                            "failureaccess",
                            "perfmark-api",
                            "gson",
                            "jackson-"));
        }
        if (perUserEavs) {
            // Each user's own eavs: the double, run from jars every user can read, as the user's eavs service.
            copyJars(work.resolve("eavs-lib"), List.of("oqto-fake-eavs", "jackson-"));
            Files.writeString(
                    work.resolve("eavs-user.toml"),
                    "[providers.fake]\ntype = \"openai-compatible\"\nbase_url = \"" + llm.baseUrl() + "\"\nmodels = [\""
                            + FakeLlm.MODEL + "\"]\n");
        }
        // Each user's mmry: the double, from jars every user can read; it serves mmry's HTTP API where provisioning
        // opened it in the user's mmry config (a per-user mmry, [memory] mmry_url with {port}), and idles otherwise.
        copyJars(work.resolve("mmry-lib"), List.of("oqto-fake-mmry", "jackson-"));
        for (String s : List.of("eavs", "hstry", "mmry")) {
            // Stand-ins for the real services (not installable here): they only run, as the user, for ordering.
            Path script = Files.writeString(
                    services.resolve(s),
                    s.equals("mmry")
                            ? "#!/bin/sh\nif grep -q '^\\[external_api]' \"$HOME/.config/mmry/config.toml\" 2>/dev/null; then\n"
                                    + "  exec \"${JAVA_HOME:-/usr}/bin/java\" -Xmx48m -cp '" + work.resolve("mmry-lib")
                                    + "/*' io.oqto.testing.mmry.FakeMmry \"$@\"\nfi\nexec sleep 2147483647\n"
                            : perUserEavs && s.equals("eavs")
                                    ? "#!/bin/sh\nexec \"${JAVA_HOME:-/usr}/bin/java\" -cp '" + work.resolve("eavs-lib")
                                            + "/*' io.oqto.testing.eavs.FakeEavs\n"
                                    : fakeHstry && s.equals("hstry")
                                            ? "#!/bin/sh\nwhile [ -e '" + hstryDown + "' ]; do sleep 0.2; done\n"
                                                    + "exec \"${JAVA_HOME:-/usr}/bin/java\" -Xmx64m -cp '"
                                                    + work.resolve("hstry-lib")
                                                    + "/*' io.oqto.testing.hstry.FakeHstry \"$@\"\n"
                                            : "#!/bin/sh\nexec sleep 2147483647\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path state = Files.createDirectories(work.resolve("state"));
        // The provider key: by reference, in a file the platform users may read, because the operator says
        // (shared_provider_keys) that it is shared with every user; the config file itself holds no secret.
        secrets = Files.createDirectories(work.resolve("secrets"));
        Files.writeString(secrets.resolve("fake.key"), "test-key\n");
        Files.setPosixFilePermissions(secrets.resolve("fake.key"), PosixFilePermissions.fromString("rw-r--r--"));
        if (eavs != null) {
            // eavs's admin key: read by the control plane (user oqto) only.
            Files.writeString(secrets.resolve("eavs-master-key"), EAVS_MASTER_KEY + "\n");
            Files.setPosixFilePermissions(
                    secrets.resolve("eavs-master-key"), PosixFilePermissions.fromString("rw-------"));
            Commands.runOk(
                    List.of("chown", "oqto", secrets.resolve("eavs-master-key").toString()));
        }
        helperSocket = work.resolve("run/usermgr.sock");
        port = Commands.freePort();
        api = new ControlPlaneApi(port);
        http = api.http;
        config = Files.writeString(
                work.resolve("config.toml"),
                String.join(
                        "\n",
                        "[server]",
                        "port = " + port,
                        "state_dir = \"" + state + "\"",
                        "[runner]",
                        "control_plane_user = \"oqto\"",
                        String.join("\n", runnerSettings),
                        "[routing]",
                        "request_timeout_ms = 5000",
                        "[programs]",
                        "pi = \"" + pi + "\"",
                        "[agent]",
                        eavsSettings != null
                                ? ""
                                : "providers = [\"fake openai-completions " + llm.baseUrl() + " file:"
                                        + secrets.resolve("fake.key") + " " + FakeLlm.MODEL + "\"]\n"
                                        + "shared_provider_keys = true",
                        String.join("\n", agentSettings),
                        fakeHstry ? "[history]\nstore = \"hstry\"" : "",
                        perUserEavs
                                ? "[eavs]\nmode = \"per-user\"\nbase_url = \"http://127.0.0.1:{port}\"\nuser_config = \""
                                        + work.resolve("eavs-user.toml") + "\"\n" + String.join("\n", eavsSettings)
                                : eavs == null
                                        ? ""
                                        : "[eavs]\nbase_url = \"" + eavs.baseUrl() + "\"\nmaster_key = \"file:"
                                                + secrets.resolve("eavs-master-key") + "\"\n"
                                                + String.join("\n", eavsSettings),
                        "[usermgr]",
                        "socket = \"" + helperSocket + "\"",
                        "group = \"" + group + "\"",
                        "skeleton = \"" + skel + "\"",
                        "linger_dir = \"" + work.resolve("linger") + "\"",
                        "service_manager = \"supervise\"",
                        "runner_command = \"" + runnerDist.home.resolve("bin/oqto-runner") + "\"",
                        "eavs_command = [\"" + services.resolve("eavs") + "\"]",
                        "hstry_command = [\"" + services.resolve("hstry") + "\", \"service\", \"run\"]",
                        "mmry_command = [\"" + services.resolve("mmry") + "\", \"service\", \"run\"]",
                        "ready_timeout_ms = 90000",
                        String.join("\n", usermgrSettings),
                        ""));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Commands.runOk(List.of("chown", "-R", "oqto", controlPlane.home.toString(), state.toString()));

        helperLog = work.resolve("usermgr.log");
        cpLog = work.resolve("cp.log");
        cpEnv = Map.of(
                "HOME",
                state.toString(),
                "OQTO_CONFIG",
                config.toString(),
                "OQTO_MODE",
                "multi-user",
                "JAVA_HOME",
                System.getProperty("java.home"),
                "JOURNAL_STREAM",
                "8:4242");
        // From here on processes run: a failure closes what started, or the next test class finds them (a leaked
        // control plane keeps Karaf's console port, and every later deployment's console talks to it).
        String token;
        try {
            startServices();
            token = Commands.printedToken(shell("oqto:token-create --role admin ops"));
        } catch (Exception | AssertionError e) {
            try {
                close();
            } catch (Exception | AssertionError suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        adminToken = token;
    }

    private void startServices() throws Exception {
        Process helper = helperDist.start(
                "oqto-usermgr",
                List.of("--config", config.toString()),
                Map.of("JAVA_HOME", System.getProperty("java.home")),
                helperLog);
        Commands.waitFor(
                "the helper's socket",
                WAIT,
                () -> {
                    if (!helper.isAlive()) {
                        throw new AssertionError(
                                "oqto-usermgr exited with " + helper.exitValue() + Commands.tails(helperLog));
                    }
                    return Commands.read(helperLog).contains("oqto-usermgr listening");
                },
                helperLog);

        startControlPlane();
    }

    /** Copies the test classpath's jars whose names start with one of {@code prefixes}, readable by every user. */
    private static void copyJars(Path lib, List<String> prefixes) throws Exception {
        Files.createDirectories(lib);
        for (String entry : System.getProperty("java.class.path").split(":", -1)) {
            String name = Path.of(entry).getFileName().toString();
            if (entry.endsWith(".jar") && prefixes.stream().anyMatch(name::startsWith)) {
                Files.copy(Path.of(entry), lib.resolve(name));
            }
        }
        Commands.runOk(List.of("chmod", "-R", "a+rX", lib.toString()));
    }

    void startControlPlane() throws Exception {
        controlPlane.startAs("oqto", "oqto", List.of(), cpEnv, cpLog);
        Commands.waitFor("control plane health", WAIT, () -> status("/api/health") == 200, cpLog);
    }

    /** A console command through {@code bin/oqto-shell}, as root. */
    Commands.Result shell(String command) throws Exception {
        return Commands.run(
                List.of(controlPlane.home.resolve("bin/oqto-shell").toString(), command), Duration.ofMinutes(3));
    }

    /**
     * {@code oqtoctl doctor} (bin/oqto-doctor) on this deployment's configuration. Not an installed package: its checks of
     * the package's files fail here; tests read the lines about what they set up.
     */
    Commands.Result doctor() throws Exception {
        return Commands.run(
                List.of(
                        "env",
                        "OQTO_CONFIG=" + config,
                        controlPlane.home.resolve("bin/oqto-doctor").toString()),
                Duration.ofMinutes(3));
    }

    /** Remembers a platform user some test provisions, so that {@link #close()} removes its account. */
    String user(String name) {
        users.add(name);
        return name;
    }

    /** Provisions {@code name} through REST and returns its first API token. */
    String provision(String name) throws Exception {
        user(name);
        HttpResponse<String> created = send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}",
                adminToken);
        assertEquals(201, created.statusCode(), created.body() + Commands.tails(helperLog));
        return created.body().replaceAll(".*\"token\":\"(oqto_[^\"]+)\".*", "$1");
    }

    HttpResponse<String> send(String method, String path, String json, String token)
            throws IOException, InterruptedException {
        return api.send(method, path, json, token);
    }

    int status(String path) {
        return api.status(path);
    }

    /** The control plane's JVM. */
    long controlPlaneJava() {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().command().orElse("").endsWith("/java")
                        && h.info()
                                .arguments()
                                .map(a -> String.join(" ", a))
                                .orElse("")
                                .contains(controlPlane.home.toString())
                        && h.info()
                                .arguments()
                                .map(a -> String.join(" ", a))
                                .orElse("")
                                .contains("org.apache.karaf.main.Main"))
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no control-plane JVM"));
    }

    static long pidIn(String json) {
        return Long.parseLong(json.replaceAll("(?s).*?\"pid\":(\\d+).*", "$1"));
    }

    static int uidOfProcess(long pid) throws IOException {
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        return Integer.parseInt(status.replaceAll("(?s).*\nUid:\t(\\d+)\t.*", "$1"));
    }

    @Override
    public void close() throws Exception {
        // Each step runs even when one before it failed: a user or /etc/oqto left behind fails later tests.
        Cleanup cleanup = new Cleanup();
        cleanup.run(() -> Distribution.stopAll(controlPlane, helperDist));
        if (eavs != null) {
            cleanup.run(eavs::close);
        }
        if (llm != null) {
            cleanup.run(llm::close);
        }
        for (String u : users) {
            cleanup.run(() -> Commands.removePlatformUser("oqto_" + u));
        }
        if (createdServiceUser) {
            cleanup.run(() -> Commands.endProcessesOf("oqto"));
            // Karaf's launcher probes the Java version with JVMs that leave their perf-data directory.
            cleanup.run(() -> Commands.removeUsersAndTree(List.of(), Path.of("/tmp/hsperfdata_oqto")));
        }
        cleanup.run(() -> Commands.run(List.of("groupdel", group), Duration.ofSeconds(10)));
        if (createdServiceUser) {
            cleanup.run(() -> Commands.run(List.of("userdel", "oqto"), Duration.ofSeconds(30)));
        }
        if (createdSandboxPolicy) {
            cleanup.run(() -> {
                Files.deleteIfExists(SANDBOX_POLICY);
                Files.deleteIfExists(SANDBOX_POLICY.getParent());
            });
        }
        cleanup.run(this::keepLogs);
        cleanup.run(() -> Commands.removeUsersAndTree(List.of(), work));
        cleanup.rethrow();
    }

    /** The deployment's logs outlive it, in target/deployment-logs/<work dir>/, for reading after a failure. */
    private void keepLogs() throws IOException {
        Path kept = Files.createDirectories(Path.of("target/deployment-logs").resolve(work.getFileName()));
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, kept.resolve(log.getFileName()));
            }
        }
    }
}

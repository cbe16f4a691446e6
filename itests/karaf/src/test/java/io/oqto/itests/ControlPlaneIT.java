package io.oqto.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.oqto.api.audit.AuditLog;
import io.oqto.api.metrics.Metrics;
import io.oqto.api.runner.RunnerGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The control-plane distribution in Karaf, with the runner feature installed beside it (from the
 * distribution's own system/ repository), so REST and shell commands reach a real runner socket.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ControlPlaneIT extends OqtoKarafTestSupport {

    static final int HTTP_PORT = Integer.parseInt(shared("httpPort", OqtoKarafTestSupport::freePort));
    static final Path SOCKET = WORK.resolve("cp-runner.sock");
    static final Path STATE = WORK.resolve("cp-state");

    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    SessionFactory sessions;

    @Configuration
    public Option[] config() {
        return distribution(
                "oqto.controlPlane.tarball",
                "control-plane",
                String.join(
                        "\n",
                        "[server]",
                        "port = " + HTTP_PORT,
                        "state_dir = \"" + STATE + "\"",
                        "[runner]",
                        "socket = \"" + SOCKET + "\"",
                        "[workspace]",
                        "root = \"" + WORK.resolve("cp-ws") + "\"",
                        "[routing]",
                        "socket_pattern = \"" + SOCKET + "\"",
                        "request_timeout_ms = 2000",
                        ""));
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> get(String path, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + path))
                .timeout(Duration.ofSeconds(10));
        if (auth) {
            b.header(
                    "Authorization",
                    "Bearer " + Files.readString(STATE.resolve("admin.token")).strip());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String path) {
        try {
            return get(path, true).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Runs a console command; waits (bounded) for the command to be registered, which follows the bundle start. */
    private String shell(String command) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            Session s = sessions.create(System.in, out, out);
            try {
                // As an operator with only the "viewer" role: etc/org.apache.karaf.command.acl.oqto.cfg must allow it.
                javax.security.auth.Subject viewer = new javax.security.auth.Subject();
                viewer.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.RolePrincipal("viewer"));
                javax.security.auth.Subject.doAs(viewer, (PrivilegedExceptionAction<Object>) () -> s.execute(command));
                out.flush();
                return bytes.toString(StandardCharsets.UTF_8);
            } catch (Exception thrown) {
                Exception e = thrown instanceof PrivilegedActionException p ? p.getException() : thrown;
                if (!e.getClass().getSimpleName().equals("CommandNotFoundException") || System.nanoTime() > deadline) {
                    throw new AssertionError(
                            command + " failed; io.oqto.shell state "
                                    + bundle(context, "io.oqto.shell").getState() + ", RunnerGateway registered: "
                                    + (context.getServiceReference(RunnerGateway.class) != null),
                            e);
                }
                Thread.sleep(100);
            } finally {
                s.close();
            }
        }
    }

    private void installRunner() throws Exception {
        if (!features.isInstalled(features.getFeature("oqto-runner"))) {
            features.installFeature("oqto-runner");
        }
        waitFor("runner socket", 20_000, () -> Files.exists(SOCKET));
    }

    @Test
    public void featuresInstallAndBundlesAreActive() throws Exception {
        assertTrue(features.isInstalled(features.getFeature("oqto-control-plane")));
        installRunner();
        assertActive(
                context,
                "io.oqto.api",
                "io.oqto.config",
                "io.oqto.runner.protocol",
                "io.oqto.junixsocket",
                "io.oqto.routing",
                "io.oqto.auth",
                "io.oqto.eavs",
                "io.oqto.provisioning",
                "io.oqto.rest",
                "io.oqto.shell",
                "io.oqto.runner.server",
                "io.oqto.workspace");
        assertExportsNothing(
                context,
                "io.oqto.config",
                "io.oqto.routing",
                "io.oqto.auth",
                "io.oqto.eavs",
                "io.oqto.provisioning",
                "io.oqto.rest",
                "io.oqto.shell",
                "io.oqto.runner.server",
                "io.oqto.workspace");
    }

    @Test
    public void theConsoleOperatorKeyIsMadeOnceAndSurvivesAnUpdateOfTheShellBundle() throws Exception {
        Path key = Path.of(System.getProperty("karaf.data"), "operator.key");
        Path keys = Path.of(System.getProperty("karaf.etc"), "keys.properties");
        waitFor("data/operator.key", 30_000, () -> Files.exists(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(keys).contains("\noqto = "));
        String before = Files.readString(key);
        bundle(context, "io.oqto.shell").update();
        waitFor(
                "the shell bundle active again",
                30_000,
                () -> bundle(context, "io.oqto.shell").getState() == Bundle.ACTIVE);
        assertEquals("a restart of the component keeps the pair", before, Files.readString(key));
        // Password logins are off: the console takes keys only.
        org.osgi.service.cm.Configuration shell = context.getService(
                        context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class))
                .getConfiguration("org.apache.karaf.shell", null);
        assertEquals("publickey", shell.getProperties().get("authMethods"));
    }

    @Test
    public void healthIsPublicAndRunnerStatusNeedsAToken() throws Exception {
        installRunner();
        waitFor("/api/health", 30_000, () -> {
            try {
                return get("/api/health", false).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        HttpResponse<String> health = get("/api/health", false);
        assertEquals(
                "application/json", health.headers().firstValue("Content-Type").orElse(""));
        assertTrue(health.body(), health.body().contains("\"status\":\"ok\""));

        HttpResponse<String> anonymous = get("/api/v1/users/me/runner", false);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.body(), anonymous.body().contains("\"code\":\"unauthenticated\""));

        HttpResponse<String> status = get("/api/v1/users/me/runner", true);
        assertEquals(status.body(), 200, status.statusCode());
        assertTrue(
                status.body(),
                status.body().contains("\"pid\":" + ProcessHandle.current().pid()));
        assertTrue(status.body(), status.body().contains("\"socket\":\"" + SOCKET + "\""));
    }

    @Test
    public void shellCommandsReachTheRunner() throws Exception {
        installRunner();
        String user = System.getProperty("user.name");
        String status = shell("oqto:runner-status");
        assertTrue(status, status.contains(SOCKET.toString()) && status.contains(user));
        String ping = shell("oqto:runner-ping " + user);
        assertTrue(ping, ping.startsWith("runner of " + user + " answered in "));
    }

    @Test
    public void implementationBundlesAreUpdatedWhileRequestsContinue() throws Exception {
        installRunner();
        waitFor("runner reachable over REST", 30_000, () -> status("/api/v1/users/me/runner") == 200);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        java.util.Map<Integer, Integer> refusals = new java.util.concurrent.ConcurrentHashMap<>();
        Thread traffic = new Thread(() -> {
            while (running.get()) {
                int status = status("/api/v1/users/me/runner");
                if (status == 200) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    refusals.merge(status, 1, Integer::sum);
                }
            }
        });
        traffic.start();
        try {
            for (String bsn :
                    new String[] {"io.oqto.rest", "io.oqto.routing", "io.oqto.runner.server", "io.oqto.auth"}) {
                Bundle b = bundle(context, bsn);
                int before = ok.get();
                b.update();
                assertEquals(bsn + " after update", Bundle.ACTIVE, b.getState());
                waitFor("requests succeed again after updating " + bsn, 30_000, () -> ok.get() > before + 5);
            }
        } finally {
            running.set(false);
            traffic.join(10_000);
        }
        assertEquals(200, status("/api/v1/users/me/runner"));
        HttpResponse<String> description = get("/api/openapi.json", false);
        assertEquals(200, description.statusCode());
        assertTrue(
                "the updated REST bundle describes itself", description.body().contains("\"/v1/metrics\""));
        assertTrue("traffic kept flowing: ok=" + ok.get() + " failed=" + failed.get(), ok.get() > 20);
        // The gate holds requests while REST is swapped: nothing but successes, or a retryable 503 (a runner that is
        // restarting); never a reset connection (-1), a 404 from a half-gone API or a 500.
        assertTrue(
                "only 200 or 503 while bundles were updated: " + refusals,
                java.util.Set.of(503).containsAll(refusals.keySet()));
        assertEquals("one runner listener after its bundle was updated", 1, threadsNamed("oqto-runner-accept"));
        assertEquals(1, threadsNamed("oqto-config-watch"));
        waitFor(
                "old pooled connections' reader threads gone",
                10_000,
                () -> Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> t.getName().startsWith("oqto-runner-client"))
                                .count()
                        <= 2);
        // The injected gateway is the instance from before the routing update; use the current one.
        RunnerGateway current = context.getService(context.getServiceReference(RunnerGateway.class));
        assertTrue(current.ping(System.getProperty("user.name")).roundTripMicros() > 0);
    }

    @Test
    public void theAuditLogKeepsRecordingAcrossAnUpdateOfItsBundle() throws Exception {
        Path audit = STATE.resolve("audit.log");
        int before = auditLines(audit);
        assertEquals(201, makeToken("before the update").statusCode());
        waitFor("the change's audit line", 10_000, () -> auditLines(audit) == before + 1);

        Object serviceBefore = context.getServiceReference(AuditLog.class).getProperty("service.id");
        Bundle b = bundle(context, "io.oqto.audit");
        b.update();
        assertEquals(Bundle.ACTIVE, b.getState());
        waitFor("the updated bundle's audit log registered", 30_000, () -> {
            ServiceReference<AuditLog> ref = context.getServiceReference(AuditLog.class);
            return ref != null && !ref.getProperty("service.id").equals(serviceBefore);
        });
        assertEquals(201, makeToken("after the update").statusCode());
        waitFor("the change after the update recorded", 10_000, () -> auditLines(audit) == before + 2);
        assertTrue(
                Files.readAllLines(audit).get(before + 1).contains("\"action\":\"POST /api/v1/users/{user}/tokens\""));
    }

    @Test
    public void theMetricsCountRequestsAndKeepCountingAfterAnUpdateOfTheirBundle() throws Exception {
        installRunner();
        waitFor("runner reachable over REST", 30_000, () -> status("/api/v1/users/me/runner") == 200);
        String runnerGets =
                "oqto_rest_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/users/{user}/runner\","
                        + "status=\"200\"}";
        double before = sample(scrape(), runnerGets);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, status("/api/v1/users/me/runner"));
        }
        String text = scrape();
        assertEquals(text, before + 3, sample(text, runnerGets), 0.0);
        assertEquals(text, 1.0, sample(text, "oqto_runners{state=\"up\"}"), 0.0);

        Object serviceBefore = context.getServiceReference(Metrics.class).getProperty("service.id");
        Bundle b = bundle(context, "io.oqto.metrics");
        b.update();
        assertEquals(Bundle.ACTIVE, b.getState());
        waitFor("the updated bundle's metrics registered", 30_000, () -> {
            ServiceReference<Metrics> ref = context.getServiceReference(Metrics.class);
            return ref != null && !ref.getProperty("service.id").equals(serviceBefore);
        });
        // A new registry: the REST bundle reports into it without being restarted.
        waitFor("the REST API bound to the new metrics", 30_000, () -> status("/api/v1/metrics") == 200);
        for (int i = 0; i < 2; i++) {
            assertEquals(200, status("/api/v1/users/me/runner"));
        }
        String after = scrape();
        assertEquals(after, 2.0, sample(after, runnerGets), 0.0);
        assertTrue(
                after, after.contains("oqto_runner_round_trip_duration_seconds_count{outcome=\"ok\",type=\"status\"}"));
        waitFor(
                "the old instance's threads gone",
                10_000,
                () -> Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> t.getName().startsWith("oqto-metrics-"))
                                .count()
                        <= 4);
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = get("/api/v1/metrics", true);
        assertEquals(r.body(), 200, r.statusCode());
        return r.body();
    }

    /** One sample's value; 0 when the series has none yet. */
    private static double sample(String scrape, String series) {
        for (String line : scrape.split("\n", -1)) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return 0.0;
    }

    private HttpResponse<String> makeToken(String name) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + "/api/v1/users/me/tokens"))
                        .timeout(Duration.ofSeconds(10))
                        .header(
                                "Authorization",
                                "Bearer "
                                        + Files.readString(STATE.resolve("admin.token"))
                                                .strip())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int auditLines(Path audit) {
        try {
            return Files.exists(audit) ? Files.readAllLines(audit).size() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void provisioningIsMultiUserOnlyAndSurvivesAnUpdateOfItsBundle() throws Exception {
        waitFor("/api/v1/admin/users", 30_000, () -> status("/api/v1/admin/users") == 503);
        String singleUser = "single-user mode has one user";
        HttpResponse<String> list = get("/api/v1/admin/users", true);
        assertTrue(
                list.body(),
                list.body().contains("\"code\":\"provisioning_unavailable\"")
                        && list.body().contains(singleUser));

        Bundle provisioning = bundle(context, "io.oqto.provisioning");
        long restBefore = restServerId();
        provisioning.update();
        assertEquals(Bundle.ACTIVE, provisioning.getState());
        waitFor("the updated provisioning service bound by REST", 30_000, () -> {
            try {
                return get("/api/v1/admin/users", true).body().contains(singleUser);
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(
                "REST kept running (same component configuration): the provisioning reference is dynamic",
                restBefore,
                restServerId());
        assertEquals(Bundle.ACTIVE, bundle(context, "io.oqto.rest").getState());
    }

    @Test
    public void usageSaysEavsIsNotConfiguredAndSurvivesAnUpdateOfTheEavsBundle() throws Exception {
        String[] last = {"no answer"};
        waitFor(
                "/api/v1/users/me/usage to say eavs is not configured",
                30_000,
                () -> {
                    try {
                        HttpResponse<String> r = get("/api/v1/users/me/usage", true);
                        last[0] = r.statusCode() + " " + r.body();
                        return r.statusCode() == 503;
                    } catch (Exception e) {
                        last[0] = e.toString();
                        return false;
                    }
                },
                () -> last[0]);
        HttpResponse<String> usage = get("/api/v1/users/me/usage", true);
        assertTrue(
                usage.body(),
                usage.body().contains("\"code\":\"eavs_not_configured\"")
                        && usage.body().contains("set [eavs] base_url and master_key"));
        assertTrue(
                get("/api/v1/admin/eavs", true).body(),
                get("/api/v1/admin/eavs", true).body().contains("\"reachable\":false"));

        Bundle eavs = bundle(context, "io.oqto.eavs");
        long restBefore = restServerId();
        eavs.update();
        assertEquals(Bundle.ACTIVE, eavs.getState());
        waitFor("the updated eavs connector bound by REST", 30_000, () -> {
            try {
                return get("/api/v1/users/me/usage", true).body().contains("eavs_not_configured");
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals("REST kept running: the eavs reference is dynamic", restBefore, restServerId());
        assertEquals(Bundle.ACTIVE, bundle(context, "io.oqto.provisioning").getState());
    }

    /** The id of the REST server's component configuration: a new one each time it is activated. */
    private long restServerId() {
        org.osgi.service.component.runtime.ServiceComponentRuntime scr = context.getService(
                context.getServiceReference(org.osgi.service.component.runtime.ServiceComponentRuntime.class));
        return scr.getComponentConfigurationDTOs(scr.getComponentDescriptionDTO(
                        bundle(context, "io.oqto.rest"), "io.oqto.rest.internal.RestServer"))
                .iterator()
                .next()
                .id;
    }

    @Test
    public void editsOfConfigTomlTakeEffectWhileRunningAndBrokenEditsAreIgnored() throws Exception {
        installRunner();
        Path config = Path.of(System.getProperty("oqto.config"));
        String original = Files.readString(config);
        waitFor("runner reachable over REST", 30_000, () -> status("/api/v1/users/me/runner") == 200);
        try {
            Files.writeString(
                    config,
                    original.replace(
                            "socket_pattern = \"" + SOCKET + "\"",
                            "socket_pattern = \"" + WORK.resolve("nowhere.sock") + "\""));
            waitFor(
                    "routing follows the edited socket pattern",
                    20_000,
                    () -> status("/api/v1/users/me/runner") == 503);
            // Points back at the real socket, but with an unknown key: the whole edit must be refused.
            Files.writeString(config, original + "\n[auth]\nbogus = 1\n");
            Path log = Path.of(System.getProperty("karaf.log"), "karaf.log");
            waitFor("the broken edit is refused in the log", 20_000, () -> {
                try {
                    return Files.readString(log)
                            .contains("invalid configuration edit ignored, previous settings stay in force: " + config
                                    + ":");
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals("a broken edit keeps the last good settings", 503, status("/api/v1/users/me/runner"));
        } finally {
            Files.writeString(config, original);
        }
        waitFor("routing back on the real socket", 20_000, () -> status("/api/v1/users/me/runner") == 200);
    }

    @Test
    public void workspaceFilesOverRestStayInsideTheWorkspace() throws Exception {
        installRunner();
        waitFor("runner reachable over REST", 30_000, () -> status("/api/v1/users/me/runner") == 200);
        Path ws = WORK.resolve("cp-ws");
        waitFor("workspace created by the runner", 20_000, () -> Files.isDirectory(ws));
        Path outside = Files.createDirectories(WORK.resolve("cp-outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectories(ws.resolve("dir"));
        Files.writeString(ws.resolve("dir/b.txt"), "b");
        Files.deleteIfExists(ws.resolve("link-out"));
        Files.deleteIfExists(ws.resolve("link-out-file"));
        Files.createSymbolicLink(ws.resolve("link-out"), outside);
        Files.createSymbolicLink(ws.resolve("link-out-file"), outside.resolve("secret.txt"));

        HttpResponse<String> put = send("PUT", "notes/today.md?parents=true", "hello");
        assertEquals(put.body(), 200, put.statusCode());
        HttpResponse<String> read = send("GET", "notes/today.md", null);
        assertEquals("hello", read.body());
        HttpResponse<String> listing = send("GET", "notes", null);
        assertTrue(listing.body(), listing.body().contains("\"name\":\"today.md\""));
        assertEquals(204, send("DELETE", "notes?recursive=true", null).statusCode());
        assertEquals(404, send("GET", "notes", null).statusCode());

        // The REST traversal corpus: method, raw path after /files/ (sent as is, not normalised), expected
        // status and problem code ("-": refused by the HTTP server before it reaches the API). Encoded and
        // raw ".." alike reach the runner, whose containment refuses them.
        String[][] corpus = {
            {"GET", "..%2f..%2fcp-outside%2fsecret.txt", "403", "path_not_allowed"},
            {"GET", "%2e%2e/%2e%2e/cp-outside/secret.txt", "403", "path_not_allowed"},
            {"GET", "../../cp-outside/secret.txt", "403", "path_not_allowed"},
            {"GET", "dir/../../../cp-outside/secret.txt", "403", "path_not_allowed"},
            {"GET", "link-out/secret.txt", "403", "path_not_allowed"},
            {"GET", "link-out-file", "403", "path_not_allowed"},
            {"GET", "link-out", "403", "path_not_allowed"},
            {"GET", "%2fetc%2fpasswd", "403", "path_not_allowed"},
            {"GET", "a%00b", "400", "-"},
            {"GET", "a%5c..%5c..%5csecret.txt", "404", "path_not_found"},
            {"GET", "%252e%252e%252fsecret.txt", "404", "path_not_found"},
            {"GET", "x/".repeat(2100), "403", "path_not_allowed"},
            {"GET", "~root", "404", "path_not_found"},
            {"PUT", "..%2fescape.txt", "403", "path_not_allowed"},
            {"PUT", "link-out/evil.txt", "403", "path_not_allowed"},
            {"PUT", "link-out-file/x", "403", "path_not_allowed"},
            {"DELETE", "link-out-file", "403", "path_not_allowed"},
            {"DELETE", "link-out/secret.txt", "403", "path_not_allowed"},
            {"DELETE", "link-out?recursive=true", "403", "path_not_allowed"},
            {"GET", "..", "403", "path_not_allowed"},
            {"GET", "./..", "403", "path_not_allowed"},
            {"GET", "dir/..%2f..", "403", "path_not_allowed"},
            {"GET", "dir%2f..%2f..%2fcp-outside", "403", "path_not_allowed"},
            {"GET", "link-out%2fsecret.txt", "403", "path_not_allowed"},
            {"GET", "%2e%2e", "403", "path_not_allowed"},
            {"GET", "%2E%2E/%2E%2E/cp-outside/secret.txt", "403", "path_not_allowed"},
            {"GET", "...", "404", "path_not_found"},
            {"GET", "dir/...", "404", "path_not_found"},
            {"GET", "%c3%bc/../../cp-outside/secret.txt", "403", "path_not_allowed"},
            {"GET", "d/" + "y".repeat(300), "403", "path_not_allowed"},
            {"GET", "dir/b.txt/..", "403", "path_not_allowed"},
            {"PUT", "../cp-outside/new.txt", "403", "path_not_allowed"},
            {"PUT", "%2ftmp%2fnew.txt", "403", "path_not_allowed"},
            {"PUT", "dir/../../x.txt?parents=true", "403", "path_not_allowed"},
            {"DELETE", "..", "403", "path_not_allowed"},
            {"DELETE", "%2e%2e%2fcp-outside%2fsecret.txt", "403", "path_not_allowed"},
        };
        StringBuilder mismatches = new StringBuilder();
        for (String[] c : corpus) {
            HttpResponse<String> r = send(c[0], c[1], c[0].equals("PUT") ? "evil" : null);
            String code = r.body().contains("\"code\":\"")
                    ? r.body().replaceAll("(?s).*\"code\":\"([a-z_]+)\".*", "$1")
                    : "-";
            if (!(c[2].equals(Integer.toString(r.statusCode())) && c[3].equals(code))) {
                mismatches
                        .append("\n")
                        .append(c[0])
                        .append(' ')
                        .append(c[1].length() > 60 ? c[1].substring(0, 60) + "…" : c[1])
                        .append(": got ")
                        .append(r.statusCode())
                        .append(' ')
                        .append(code);
            }
            assertEquals("secret", Files.readString(outside.resolve("secret.txt")));
            assertTrue(Files.isSymbolicLink(ws.resolve("link-out")));
        }
        assertEquals("", mismatches.toString());
        try (var left = Files.list(outside)) {
            assertEquals(
                    List.of("secret.txt"),
                    left.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(Files.notExists(WORK.resolve("escape.txt")));
        assertTrue(Files.notExists(WORK.resolve("evil.txt")));
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + HTTP_PORT + "/api/v1/users/me/files/" + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header(
                        "Authorization",
                        "Bearer "
                                + Files.readString(STATE.resolve("admin.token")).strip())
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .count();
    }
}

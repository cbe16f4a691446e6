package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Signing in from a browser, over real HTTP against the multi-user control plane: passwords set by an admin and
 * changed by their user, the session cookie and what it may do, the CSRF rule for cookie requests, the pause after
 * failed sign-ins, and sign-out, disable and delete ending what they should. The tests build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserAuthSystemIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "alices long passphrase";

    private MultiUserDeployment d;
    private String alice;
    private String bob;
    private String cookie;
    private String csrf;
    private String aliceToken;

    /** A stand-in for systemd-journald's native socket: the control plane (user oqto) sends its audit lines here. */
    private Path journalDir;

    private AFUNIXDatagramSocket journal;

    /** What the journal stand-in received, read as it comes (journald never lets its queue fill either). */
    private final List<String> journalEntries = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        journalDir = Files.createTempDirectory(Path.of("/tmp"), "oqto-journal-");
        Files.setPosixFilePermissions(journalDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path journalSocket = journalDir.resolve("socket");
        journal = AFUNIXDatagramSocket.newInstance();
        journal.bind(AFUNIXSocketAddress.of(journalSocket));
        Files.setPosixFilePermissions(journalSocket, PosixFilePermissions.fromString("rwxrwxrwx"));
        Thread reader = new Thread(
                () -> {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[65536], 65536);
                    try {
                        while (true) {
                            p.setLength(65536); // a receive shortens it to what came
                            journal.receive(p);
                            journalEntries.add(
                                    new String(p.getData(), 0, p.getLength(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    } catch (java.io.IOException closed) {
                        // the test is over
                    }
                },
                "journal-stand-in");
        reader.setDaemon(true);
        reader.start();
        d = new MultiUserDeployment(
                List.of("[auth]", "login_attempts = 3", "[audit]", "journal_socket = \"" + journalSocket + "\""));
        alice = "u" + d.tag;
        bob = "v" + d.tag;
        aliceToken = d.provision(alice);
        d.provision(bob);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (d != null) {
                d.close();
            }
        } finally {
            if (journal != null) {
                journal.close();
            }
            Commands.removeUsersAndTree(List.of(), journalDir);
        }
    }

    /** A request as a browser makes it: the session cookie, and optionally a CSRF token and an Origin. */
    private HttpResponse<String> browser(
            String method,
            String path,
            @Nullable String json,
            @Nullable String cookieValue,
            Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.api.url(path)))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (cookieValue != null) {
            b.header("Cookie", "oqto_session=" + cookieValue);
        }
        headers.forEach(b::header);
        return d.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String name, String password, Map<String, String> headers) throws Exception {
        return browser(
                "POST",
                "/api/v1/auth/login",
                JSON.writeValueAsString(Map.of("name", name, "password", password)),
                null,
                headers);
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("code").asText();
    }

    private static String cookieOf(HttpResponse<String> r) {
        String set = r.headers().firstValue("Set-Cookie").orElseThrow();
        return set.replaceAll("^oqto_session=([^;]*);.*", "$1");
    }

    private String origin() {
        return d.api.url("");
    }

    @Test
    @Order(1)
    void anAdminSetsAPasswordThatThePolicyAccepts() throws Exception {
        HttpResponse<String> weak =
                d.send("PUT", "/api/v1/admin/users/" + alice + "/password", "{\"password\":\"short\"}", d.adminToken);
        assertEquals(400, weak.statusCode(), weak.body());
        assertEquals("weak_password", code(weak));
        assertTrue(weak.body().contains("a password needs at least 8 characters"), weak.body());
        assertEquals(
                404,
                d.send(
                                "PUT",
                                "/api/v1/admin/users/nobody" + d.tag + "/password",
                                "{\"password\":\"" + PASSWORD + "\"}",
                                d.adminToken)
                        .statusCode());
        HttpResponse<String> set = d.send(
                "PUT",
                "/api/v1/admin/users/" + alice + "/password",
                "{\"password\":\"" + PASSWORD + "\"}",
                d.adminToken);
        assertEquals(204, set.statusCode(), set.body());
        Path file = d.work.resolve("state/passwords");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.readString(file).contains(PASSWORD), "only a hash is stored");
        assertFalse(Commands.read(d.cpLog).contains(PASSWORD), "the password is not logged");
    }

    @Test
    @Order(2)
    void aWrongPasswordIsRefusedAndTheRightOneSetsAnHttpOnlySameSiteCookie() throws Exception {
        HttpResponse<String> wrong = login(alice, "not the passphrase", Map.of());
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertEquals("invalid_credentials", code(wrong));
        HttpResponse<String> unknown = login("nobody" + d.tag, PASSWORD, Map.of());
        assertEquals(401, unknown.statusCode());
        assertEquals("invalid_credentials", code(unknown), "an unknown user reads the same as a wrong password");

        HttpResponse<String> ok = login(alice, PASSWORD, Map.of());
        assertEquals(200, ok.statusCode(), ok.body());
        String set = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(set.startsWith("oqto_session=oqs_"), set);
        for (String attribute : List.of("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43")) {
            assertTrue(set.contains(attribute), attribute + " in " + set);
        }
        assertFalse(set.contains("Secure"), "plain HTTP here: " + set);
        JsonNode me = JSON.readTree(ok.body());
        assertEquals(alice, me.path("name").asText());
        assertEquals("user", me.path("role").asText());
        cookie = cookieOf(ok);
        csrf = me.path("csrf_token").asText();
        assertEquals(43, csrf.length());

        HttpResponse<String> again = browser("GET", "/api/v1/me", null, cookie, Map.of());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("cookie", JSON.readTree(again.body()).path("auth").asText());
        assertEquals(csrf, JSON.readTree(again.body()).path("csrf_token").asText());
        HttpResponse<String> byToken = d.send("GET", "/api/v1/me", null, d.adminToken);
        assertEquals("token", JSON.readTree(byToken.body()).path("auth").asText(), "bearer tokens keep working");
    }

    @Test
    @Order(3)
    void aCookieReachesOnlyItsOwnUsersRoutesAndChangesNothingWithoutTheCsrfToken() throws Exception {
        assertEquals(
                200,
                browser("GET", "/api/v1/users/me/sessions", null, cookie, Map.of())
                        .statusCode());
        assertEquals(
                403,
                browser("GET", "/api/v1/users/" + bob + "/sessions", null, cookie, Map.of())
                        .statusCode());
        assertEquals(
                403,
                browser("GET", "/api/v1/admin/users", null, cookie, Map.of()).statusCode());

        String memory = "{\"content\":\"written from the browser\"}";
        HttpResponse<String> noToken = browser("POST", "/api/v1/users/me/memories", memory, cookie, Map.of());
        assertEquals(403, noToken.statusCode(), noToken.body());
        assertEquals("csrf_refused", code(noToken));
        HttpResponse<String> crossSite = browser(
                "POST",
                "/api/v1/users/me/memories",
                memory,
                cookie,
                Map.of("X-CSRF-Token", csrf, "Origin", "http://evil.example"));
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        assertEquals(
                0,
                JSON.readTree(browser("GET", "/api/v1/users/me/memories", null, cookie, Map.of())
                                .body())
                        .path("total")
                        .asInt(),
                "nothing was written");
        HttpResponse<String> ok = browser(
                "POST", "/api/v1/users/me/memories", memory, cookie, Map.of("X-CSRF-Token", csrf, "Origin", origin()));
        assertEquals(201, ok.statusCode(), ok.body());

        HttpResponse<String> crossSiteLogin = login(alice, PASSWORD, Map.of("Origin", "http://evil.example"));
        assertEquals(403, crossSiteLogin.statusCode());
        assertEquals("csrf_refused", code(crossSiteLogin));
    }

    @Test
    @Order(4)
    void aUserChangesTheirPasswordWithTheOldOneAndTheirOtherSessionsEnd() throws Exception {
        String other = cookieOf(login(alice, PASSWORD, Map.of()));
        Map<String, String> withToken = Map.of("X-CSRF-Token", csrf);
        HttpResponse<String> wrongOld = browser(
                "PUT",
                "/api/v1/me/password",
                "{\"old_password\":\"guess guess\",\"new_password\":\"a brand new passphrase\"}",
                cookie,
                withToken);
        assertEquals(401, wrongOld.statusCode(), wrongOld.body());
        assertEquals("wrong_password", code(wrongOld));
        HttpResponse<String> changed = browser(
                "PUT",
                "/api/v1/me/password",
                "{\"old_password\":\"" + PASSWORD + "\",\"new_password\":\"a brand new passphrase\"}",
                cookie,
                withToken);
        assertEquals(204, changed.statusCode(), changed.body());
        assertEquals(200, browser("GET", "/api/v1/me", null, cookie, Map.of()).statusCode(), "this one stays");
        HttpResponse<String> ended = browser("GET", "/api/v1/me", null, other, Map.of());
        assertEquals(401, ended.statusCode());
        assertEquals("session_expired", code(ended));
        assertEquals(401, login(alice, PASSWORD, Map.of()).statusCode(), "the old password is gone");
        assertEquals(200, login(alice, "a brand new passphrase", Map.of()).statusCode());
    }

    @Test
    @Order(5)
    void failedSignInsPauseTheUserWithRetryAfter() throws Exception {
        // [auth] login_attempts = 3, and alice's last sign-in succeeded (which clears her count).
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> failed = login(alice, "wrong wrong " + i, Map.of());
            assertEquals(401, failed.statusCode(), failed.body());
        }
        HttpResponse<String> r = login(alice, "wrong again", Map.of());
        assertEquals(429, r.statusCode(), r.body());
        assertEquals("too_many_attempts", code(r));
        long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(
                retryAfter > 800 && retryAfter <= 900, "the oldest failure leaves the 15-minute window: " + retryAfter);
        HttpResponse<String> right = login(alice, "a brand new passphrase", Map.of());
        assertEquals(429, right.statusCode(), "paused: the password is not even checked");
        assertEquals(401, login(bob, "not bobs password", Map.of()).statusCode(), "bob is not paused");
    }

    @Test
    @Order(6)
    void logoutEndsTheSessionAndDisablingAUserEndsAllOfTheirs() throws Exception {
        HttpResponse<String> out = browser("POST", "/api/v1/auth/logout", null, cookie, Map.of("X-CSRF-Token", csrf));
        assertEquals(204, out.statusCode(), out.body());
        assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        HttpResponse<String> after = browser("GET", "/api/v1/me", null, cookie, Map.of());
        assertEquals(401, after.statusCode());
        assertEquals("session_expired", code(after));

        d.send(
                "PUT",
                "/api/v1/admin/users/" + bob + "/password",
                "{\"password\":\"bobs own passphrase\"}",
                d.adminToken);
        String bobs = cookieOf(login(bob, "bobs own passphrase", Map.of()));
        assertEquals(200, browser("GET", "/api/v1/me", null, bobs, Map.of()).statusCode());
        assertEquals(
                200,
                d.send("POST", "/api/v1/admin/users/" + bob + "/disable", null, d.adminToken)
                        .statusCode());
        assertEquals(401, browser("GET", "/api/v1/me", null, bobs, Map.of()).statusCode(), "disabled: signed out");
        HttpResponse<String> disabled = login(bob, "bobs own passphrase", Map.of());
        assertEquals(403, disabled.statusCode(), disabled.body());
        assertEquals("user_disabled", code(disabled));

        assertEquals(
                200,
                d.send("DELETE", "/api/v1/admin/users/" + bob, null, d.adminToken)
                        .statusCode());
        assertFalse(
                Files.readString(d.work.resolve("state/passwords")).contains(bob + " "),
                "a deleted user's password is forgotten: a later user of the name does not inherit it");
    }

    @Test
    @Order(7)
    void anOperatorSetsAPasswordWithOqtoctlOnStandardInputNeverOnACommandLine() throws Exception {
        String carol = "w" + d.tag;
        d.provision(carol);
        Path input = Files.writeString(d.work.resolve("passwd-input"), "set by the operator\n");
        ProcessBuilder pb = new ProcessBuilder(
                        d.controlPlane.home.resolve("bin/oqtoctl").toString(), "user", "passwd", carol)
                .redirectErrorStream(true)
                .redirectInput(input.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("password of " + carol + " set"), out);
        assertFalse(out.contains("set by the operator"), "the console does not echo it: " + out);
        assertEquals(200, login(carol, "set by the operator", Map.of()).statusCode());

        Files.writeString(input, "short\n");
        Process weak = pb.start();
        String refused = new String(weak.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(weak.waitFor(3, java.util.concurrent.TimeUnit.MINUTES));
        assertTrue(refused.contains("refused: a password needs at least 8 characters"), refused);
        assertEquals(200, login(carol, "set by the operator", Map.of()).statusCode(), "unchanged");
    }

    @Test
    @Order(8)
    void aUserMakesNamedTokensAnExpiredOneIsRefusedAsSuchAndAnOperatorRevokesALeakedOne() throws Exception {
        HttpResponse<String> made = d.send("POST", "/api/v1/users/me/tokens", "{\"name\":\"laptop\"}", aliceToken);
        assertEquals(201, made.statusCode(), made.body());
        JsonNode laptop = JSON.readTree(made.body());
        String laptopSecret = laptop.path("secret").asText();
        assertTrue(laptopSecret.startsWith("oqto_" + laptop.path("id").asText() + "_"), made.body());
        assertEquals("user", laptop.path("role").asText());

        HttpResponse<String> listed = d.send("GET", "/api/v1/users/me/tokens", null, laptopSecret);
        assertEquals(200, listed.statusCode(), listed.body());
        JsonNode mine = JSON.readTree(listed.body());
        assertEquals(2, mine.size(), "the first token and the laptop's: " + listed.body());
        assertEquals("laptop", mine.get(1).path("name").asText());
        assertFalse(mine.get(1).path("last_used_at").isNull(), "used just now: " + listed.body());
        assertFalse(listed.body().contains(laptopSecret.substring(18)), "no secret in a list");

        String soon = java.time.Instant.now().plusSeconds(3).toString();
        HttpResponse<String> shortLived = d.send(
                "POST", "/api/v1/users/me/tokens", "{\"name\":\"short\",\"expires_at\":\"" + soon + "\"}", aliceToken);
        assertEquals(201, shortLived.statusCode(), shortLived.body());
        String shortSecret = JSON.readTree(shortLived.body()).path("secret").asText();
        assertEquals(200, d.send("GET", "/api/v1/me", null, shortSecret).statusCode());
        Commands.waitFor("the short token to expire", Duration.ofSeconds(30), () -> {
            try {
                HttpResponse<String> r = d.send("GET", "/api/v1/me", null, shortSecret);
                return r.statusCode() == 401 && code(r).equals("token_expired");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        String laptopId = laptop.path("id").asText();
        Commands.Result listedByOperator = d.shell("oqto:token-list " + alice);
        assertTrue(listedByOperator.output().contains(laptopId), listedByOperator.output());
        assertTrue(listedByOperator.output().contains("(expired)"), listedByOperator.output());
        assertFalse(listedByOperator.output().contains(laptopSecret.substring(18)), "never a secret");
        Commands.Result revoked = d.shell("oqto:token-revoke " + laptopId);
        assertTrue(
                revoked.output().contains("revoked token " + laptopId + " of " + alice + " (laptop)"),
                revoked.output());
        HttpResponse<String> leaked = d.send("GET", "/api/v1/me", null, laptopSecret);
        assertEquals(401, leaked.statusCode());
        assertEquals("invalid_token", code(leaked));
        assertEquals(200, d.send("GET", "/api/v1/me", null, aliceToken).statusCode(), "her other token works");

        String shortId = JSON.readTree(shortLived.body()).path("id").asText();
        assertEquals(
                204,
                d.send("DELETE", "/api/v1/users/me/tokens/" + shortId, null, aliceToken)
                        .statusCode());
        HttpResponse<String> again = d.send("DELETE", "/api/v1/users/me/tokens/" + shortId, null, aliceToken);
        assertEquals(404, again.statusCode());
        assertEquals("token_not_found", code(again));
    }

    @Test
    @Order(9)
    void everyChangeWritesExactlyItsAuditLineToAPrivateFileAndTheJournalAndNoInputForgesOne() throws Exception {
        Path file = d.work.resolve("state/audit.log");
        int before = Files.readAllLines(file).size();

        // A refused sign-in, with a name built to forge a line and a field.
        String hostile = "eve\n{\"actor\":\"root\",\"result\":\"ok\"}\",\"role\":\"admin";
        assertEquals(401, login(hostile, "wrong password", Map.of()).statusCode());
        JsonNode signIn = onlyNewLine(file, before);
        assertEquals(hostile, signIn.path("actor").asText(), "the name exactly, inside its own field");
        assertEquals("anonymous", signIn.path("role").asText());
        assertEquals("POST /api/v1/auth/login", signIn.path("action").asText());
        assertEquals("refused", signIn.path("result").asText());
        assertEquals("401 invalid_credentials", signIn.path("detail").asText());
        assertEquals("127.0.0.1", signIn.path("source").asText());
        before++;

        // A change through REST, with the client's request id; a GET writes nothing, nor a POST that changes nothing.
        assertEquals(
                200, d.send("GET", "/api/v1/users/me/tokens", null, aliceToken).statusCode());
        assertEquals(
                200,
                d.send("POST", "/api/v1/users/me/runner/ping", "{}", aliceToken).statusCode());
        HttpResponse<String> made = d.http.send(
                HttpRequest.newBuilder(URI.create(d.api.url("/api/v1/users/me/tokens")))
                        .header("Authorization", "Bearer " + aliceToken)
                        .header("Content-Type", "application/json")
                        .header("X-Request-Id", "audit-test-1")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"audited\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, made.statusCode(), made.body());
        assertEquals("audit-test-1", made.headers().firstValue("X-Request-Id").orElseThrow());
        JsonNode rest = onlyNewLine(file, before);
        before++;
        assertEquals(alice, rest.path("actor").asText());
        assertEquals("user", rest.path("role").asText());
        assertEquals("POST /api/v1/users/{user}/tokens", rest.path("action").asText());
        assertEquals("/api/v1/users/me/tokens", rest.path("target").asText());
        assertEquals("ok", rest.path("result").asText());
        assertEquals("201", rest.path("detail").asText());
        assertEquals("audit-test-1", rest.path("request_id").asText());

        // A console command.
        String id = JSON.readTree(made.body()).path("id").asText();
        assertTrue(d.shell("oqto:token-revoke " + id).output().contains("revoked token " + id));
        JsonNode shell = onlyNewLine(file, before);
        before++;
        assertTrue(shell.path("actor").asText().startsWith("operator:"), shell.toString());
        assertEquals("operator", shell.path("role").asText());
        assertEquals("shell oqto:token-revoke", shell.path("action").asText());
        assertEquals(id, shell.path("target").asText());
        assertEquals("console", shell.path("source").asText());

        // Provisioning: one line per step, under the admin's request, then the request's own line.
        String dave = d.user("z" + d.tag);
        String admin = JSON.readTree(
                        d.send("GET", "/api/v1/me", null, d.adminToken).body())
                .path("name")
                .asText();
        HttpResponse<String> provisioned = d.send(
                "POST",
                "/api/v1/admin/users",
                "{\"name\":\"" + dave + "\",\"email\":\"" + dave + "@example.com\"}",
                d.adminToken);
        assertEquals(201, provisioned.statusCode(), provisioned.body());
        List<String> steps = new java.util.ArrayList<>();
        JSON.readTree(provisioned.body()).path("steps").forEach(step -> steps.add("provision " + step.asText()));
        List<JsonNode> lines = newLines(file, before);
        before += lines.size();
        assertEquals(steps.size() + 1, lines.size(), lines.toString());
        String request = lines.get(lines.size() - 1).path("request_id").asText();
        assertEquals(
                "POST /api/v1/admin/users",
                lines.get(lines.size() - 1).path("action").asText());
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = lines.get(i);
            assertEquals(
                    List.of(steps.get(i), dave, "ok", admin, request),
                    List.of(
                            step.path("action").asText(),
                            step.path("target").asText(),
                            step.path("result").asText(),
                            step.path("actor").asText(),
                            step.path("request_id").asText()));
        }

        String all = Files.readString(file);
        assertFalse(
                all.contains(JSON.readTree(made.body()).path("secret").asText().substring(18)), "no secret");
        assertFalse(all.contains("wrong password"), "no password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        // The journal got the same lines, each an entry of its own.
        List<String> written = Files.readAllLines(file);
        for (String line : written.subList(written.size() - (steps.size() + 4), written.size())) {
            String entry = "MESSAGE=" + line + "\nSYSLOG_IDENTIFIER=oqto-audit\nPRIORITY="
                    + (line.contains("\"result\":\"ok\"") ? 5 : 4) + "\n";
            Commands.waitFor(
                    "the journal entry of " + line, Duration.ofSeconds(10), () -> journalEntries.contains(entry));
        }
    }

    private static JsonNode onlyNewLine(Path file, int before) throws Exception {
        List<JsonNode> lines = newLines(file, before);
        assertEquals(1, lines.size(), "exactly one line: " + lines);
        return lines.get(0);
    }

    private static List<JsonNode> newLines(Path file, int before) throws Exception {
        List<String> all = Files.readAllLines(file);
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : all.subList(before, all.size())) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }
}

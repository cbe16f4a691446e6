package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.testing.llm.FakeLlm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser: headless Chromium from the distribution's packages, driven through its chromedriver,
 * against the multi-user control plane with the real pi and the fake LLM. Each test leaves a screenshot in
 * target/screenshots. The tests build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiSystemIT {

    private static final String PASSWORD = "alices browser passphrase";

    private MultiUserDeployment d;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private String alice;
    private Path downloads;

    @BeforeAll
    void start() throws Exception {
        d = new MultiUserDeployment();
        alice = "w" + d.tag;
        d.provision(alice);
        assertEquals(
                204,
                d.send(
                                "PUT",
                                "/api/v1/admin/users/" + alice + "/password",
                                "{\"password\":\"" + PASSWORD + "\"}",
                                d.adminToken)
                        .statusCode());
        downloads = Files.createDirectories(d.work.resolve("downloads"));
        browser = HeadlessChromium.start(downloads);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (d != null) {
                d.close();
            }
        }
    }

    @AfterEach
    void screenshot(TestInfo test) throws Exception {
        HeadlessChromium.screenshot(browser, test.getTestMethod().orElseThrow().getName());
    }

    private int get(String path) throws Exception {
        return d.http.send(
                        HttpRequest.newBuilder(URI.create(d.api.url(path))).build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    @Test
    @Order(1)
    void theUiIsServedAtTheRootWithItsSecurityHeadersAndNoInlineScript() throws Exception {
        HttpResponse<String> index = d.http.send(
                HttpRequest.newBuilder(URI.create(d.api.url("/"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        String csp = index.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self';") && !csp.contains("unsafe-inline"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertEquals(
                "nosniff", index.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("DENY", index.headers().firstValue("X-Frame-Options").orElseThrow());
        assertFalse(index.body().matches("(?s).*<script(?![^>]*\\bsrc=).*"), "no inline script");
        HttpResponse<String> terminalPage = d.http.send(
                HttpRequest.newBuilder(URI.create(d.api.url("/terminal.html"))).build(),
                HttpResponse.BodyHandlers.ofString());
        String terminalCsp =
                terminalPage.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(
                terminalCsp.contains("script-src 'self';") && terminalCsp.contains("style-src 'self' 'unsafe-inline';"),
                "xterm.js writes <style> elements; scripts stay this origin's: " + terminalCsp);
        assertFalse(terminalPage.body().matches("(?s).*<script(?![^>]*\\bsrc=).*"), "no inline script");
        for (String asset : List.of(
                "/app.js",
                "/api.js",
                "/terminal.js",
                "/app.css",
                "/vendor/marked.js",
                "/vendor/purify.js",
                "/vendor/xterm.js",
                "/vendor/xterm.css",
                "/vendor/xterm-addon-fit.js")) {
            HttpResponse<String> r = d.http.send(
                    HttpRequest.newBuilder(URI.create(d.api.url(asset))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), asset);
            assertTrue(r.headers().firstValue("Content-Security-Policy").isPresent(), asset);
        }
        assertEquals(400, get("/../etc/passwd"), "Jetty refuses a path that leaves the root");
        assertEquals(404, get("/io/oqto/webui/internal/UiServlet.class"), "only the ui/ folder is served");
        assertEquals(404, get("/OSGI-INF/io.oqto.webui.internal.UiServlet.xml"));
        assertEquals(404, get("/vendor/marked.LICENSE.md"), "only known types");
        assertEquals(200, d.status("/api/health"), "the API keeps /api");

        HttpResponse<byte[]> plain = d.http.send(
                HttpRequest.newBuilder(URI.create(d.api.url("/app.js"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> gzipped = d.http.send(
                HttpRequest.newBuilder(URI.create(d.api.url("/app.js")))
                        .header("Accept-Encoding", "gzip, deflate, br")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(Optional.empty(), plain.headers().firstValue("Content-Encoding"));
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElseThrow());
        assertEquals("Accept-Encoding", gzipped.headers().firstValue("Vary").orElseThrow());
        try (java.util.zip.GZIPInputStream in =
                new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes(), "the same file, compressed");
        }
        assertTrue(
                gzipped.body().length * 2 < plain.body().length, gzipped.body().length + " of " + plain.body().length);
    }

    @Test
    @Order(2)
    void aWrongPasswordShowsItsMessageAndTheRightOneOpensTheSessionsPage() {
        browser.get(d.api.url("/"));
        visible(By.id("login-name")).sendKeys(alice);
        browser.findElement(By.id("login-password")).sendKeys("not my passphrase");
        browser.findElement(By.id("login-submit")).click();
        WebElement error = visible(By.id("login-error"));
        assertEquals("wrong user name or password", error.getText());

        WebElement password = browser.findElement(By.id("login-password"));
        password.clear();
        password.sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        visible(By.id("sessions-title"));
        assertEquals(alice + " (user)", visible(By.id("who")).getText());
        assertFalse(browser.findElement(By.id("nav-admin")).isDisplayed(), "no admin link for a user");
    }

    @Test
    @Order(3)
    void aChatRoundTripStreamsTheAnswerAndShowsAToolCallWithItsOutput() {
        org.openqa.selenium.support.ui.Select picker =
                new org.openqa.selenium.support.ui.Select(visible(By.id("new-model")));
        wait.until(x -> picker.getOptions().size() == 2);
        assertEquals(
                List.of("Default", FakeLlm.MODEL + " (fake)"),
                picker.getOptions().stream().map(WebElement::getText).toList(),
                "the picker offers the runner's models");
        picker.selectByVisibleText(FakeLlm.MODEL + " (fake)");
        browser.findElement(By.id("new-session-submit")).click();
        awaitIdle();
        WebElement prompt = visible(By.id("prompt"));
        // Record every state of the answer as it grows, to see that it arrives in pieces.
        ((JavascriptExecutor) browser)
                .executeScript("window.seen = new Set();"
                        + "new MutationObserver(() => document.querySelectorAll('.message.assistant .text')"
                        + ".forEach(t => window.seen.add(t.textContent))).observe(document.getElementById('messages'),"
                        + " {subtree: true, childList: true, characterData: true});");
        // Every request the page makes, with its outcome, for the failure message.
        ((JavascriptExecutor) browser)
                .executeScript("window.requests = []; const f = window.fetch;"
                        + "window.fetch = (u, o) => { const r = {url: String(u), method: (o && o.method) || 'GET'};"
                        + " window.requests.push(r); return f(u, o).then(x => { r.status = x.status; return x; },"
                        + " e => { r.error = String(e); throw e; }); };");
        prompt.sendKeys("hello from the browser");
        browser.findElement(By.id("send")).click();
        try {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector(".message.assistant .text"), "You said: hello from the browser"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(
                    "no answer; the page's requests: "
                            + ((JavascriptExecutor) browser).executeScript("return JSON.stringify(window.requests);")
                            + "; send disabled: "
                            + browser.findElement(By.id("send")).getAttribute("disabled"),
                    e);
        }
        long states = (Long) ((JavascriptExecutor) browser).executeScript("return window.seen.size;");
        assertTrue(states > 2, "the answer appeared in pieces, not at once: " + states + " states");

        awaitIdle();
        visible(By.id("prompt")).sendKeys("run: echo made-by-the-tool");
        browser.findElement(By.id("send")).click();
        WebElement card = visible(By.cssSelector(".tool[data-tool='bash']"));
        assertTrue(card.getText().contains("echo made-by-the-tool"), card.getText());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".tool[data-tool='bash'] .tool-output"), "made-by-the-tool"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#messages"), "The command printed:"));
    }

    @Test
    @Order(4)
    void thinkingIsShownCollapsedAboveTheAnswer() {
        prompt("think: about it");
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#messages"), "You said: about it"));
        WebElement thinking = browser.findElements(By.cssSelector(".message.assistant details.thinking")).stream()
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no thinking block"));
        assertEquals(null, thinking.getAttribute("open"), "collapsed");
        assertEquals(
                "Considering about it",
                thinking.findElement(By.cssSelector(".thinking-text"))
                        .getAttribute("textContent")
                        .strip());
        assertFalse(thinking.findElement(By.cssSelector(".thinking-text")).isDisplayed(), "hidden until opened");
        thinking.findElement(By.tagName("summary")).click();
        wait.until(x -> thinking.findElement(By.cssSelector(".thinking-text")).isDisplayed());
    }

    /** The open session is idle: the session list (refreshed at every change of state) says so. */
    private void awaitIdle() {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#session-list .state"), "idle"));
    }

    private void prompt(String text) {
        awaitIdle();
        visible(By.id("prompt")).sendKeys(text);
        browser.findElement(By.id("send")).click();
    }

    @Test
    @Order(5)
    void abortStopsAStreamingAnswer() {
        prompt("slow");
        visible(By.id("abort")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Aborted."));
        String text = browser.findElements(By.cssSelector(".message.assistant .text")).stream()
                .reduce((a, b) -> b)
                .orElseThrow()
                .getText();
        assertTrue(text.startsWith("tick 0") && !text.contains("tick 199"), "cut short: " + text);
    }

    @Test
    @Order(6)
    void aNetworkDropMidStreamLosesAndRepeatsNothing() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            expected.append("tick ").append(i).append(' ');
        }
        // The same page through a relay the test can cut, as a network that drops (the cookie is the host's, whatever
        // the port).
        try (TcpRelay relay = new TcpRelay(d.port)) {
            String hash = (String) ((JavascriptExecutor) browser).executeScript("return location.hash;");
            browser.get("http://127.0.0.1:" + relay.port() + "/" + hash);
            awaitIdle();
            int answers = browser.findElements(By.cssSelector(".message.assistant .text"))
                    .size();
            prompt("slow");
            wait.until(x -> {
                List<WebElement> texts = browser.findElements(By.cssSelector(".message.assistant .text"));
                return texts.size() > answers
                        && texts.get(texts.size() - 1).getText().contains("tick 20 ");
            });
            relay.cut();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("stage"), "Connection lost"));
            wait.until(ExpectedConditions.not(
                    ExpectedConditions.textToBePresentInElementLocated(By.id("stage"), "Connection lost")));
            wait.withTimeout(Duration.ofSeconds(90))
                    .until(d -> browser.findElements(By.cssSelector(".message.assistant .text")).stream()
                            .anyMatch(t -> t.getText().contains("tick 199")));
            String last = browser.findElements(By.cssSelector(".message.assistant .text")).stream()
                    .reduce((a, b) -> b)
                    .orElseThrow()
                    .getText();
            assertEquals(expected.toString().strip(), last, "every tick once, in order");
        }
    }

    @Test
    @Order(7)
    void aFollowUpQueuedWhileTheAgentWorksIsAnsweredAfterIt() {
        // Back from the relay of the previous test to the control plane itself, same conversation.
        String hash = (String) ((JavascriptExecutor) browser).executeScript("return location.hash;");
        browser.get(d.api.url("/" + hash));
        prompt("slow");
        visible(By.id("follow-up"));
        browser.findElement(By.id("prompt")).sendKeys("and then this");
        browser.findElement(By.id("follow-up")).click();
        wait.withTimeout(Duration.ofSeconds(90))
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("messages"), "You said: and then this"));
        List<String> answers = browser.findElements(By.cssSelector(".message.assistant .text")).stream()
                .map(WebElement::getText)
                .toList();
        assertEquals("You said: and then this", answers.get(answers.size() - 1));
        assertTrue(
                answers.get(answers.size() - 2).endsWith("tick 199"),
                "answered after the slow answer ran to its end: " + answers.get(answers.size() - 2));
    }

    @Test
    @Order(8)
    void filesAreUploadedDownloadedRenamedAndDeleted() throws Exception {
        byte[] data = new byte[5 << 20];
        new java.util.Random(7).nextBytes(data);
        Path source = Files.write(d.work.resolve("big.bin"), data);
        browser.get(d.api.url("/#/files"));
        visible(By.id("mkdir-name")).sendKeys("docs");
        browser.findElement(By.id("mkdir-submit")).click();
        visible(By.cssSelector("tr[data-name='docs']"));

        browser.findElement(By.id("upload-input")).sendKeys(source.toString());
        WebElement row = visible(By.cssSelector("tr[data-name='big.bin']"));
        assertTrue(row.getText().contains(Integer.toString(data.length)), row.getText());
        Path home = Path.of("/home/oqto_" + alice + "/oqto");
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, Files.readAllBytes(home.resolve("big.bin")));

        row.findElement(By.linkText("Download")).click();
        Path downloaded = downloads.resolve("big.bin");
        wait.until(x -> Files.exists(downloaded) && downloaded.toFile().length() == data.length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, Files.readAllBytes(downloaded), "byte for byte");

        row.findElement(By.cssSelector("[data-action='rename']")).click();
        WebElement name = visible(By.cssSelector("input[aria-label='New name for big.bin']"));
        name.clear();
        name.sendKeys("moved.bin", org.openqa.selenium.Keys.ENTER);
        WebElement moved = visible(By.cssSelector("tr[data-name='moved.bin']"));
        assertTrue(Files.exists(home.resolve("moved.bin")) && !Files.exists(home.resolve("big.bin")));

        moved.findElement(By.cssSelector("[data-action='delete']")).click();
        assertTrue(visible(By.cssSelector("tr[data-name='moved.bin'] [role='alert']"))
                .getText()
                .contains("Delete moved.bin?"));
        assertTrue(Files.exists(home.resolve("moved.bin")), "nothing before the confirmation");
        browser.findElement(By.cssSelector("[data-action='confirm-delete']")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-name='moved.bin']")));
        assertFalse(Files.exists(home.resolve("moved.bin")));
    }

    @Test
    @Order(9)
    void signingOutEndsTheCookieAndAnAdminCreatesAUserWhoSeesOnlyTheirOwn() throws Exception {
        String cookie = browser.manage().getCookieNamed("oqto_session").getValue();
        browser.findElement(By.id("logout")).click();
        visible(By.id("login-name"));
        HttpResponse<String> old = d.http.send(
                HttpRequest.newBuilder(URI.create(d.api.url("/api/v1/me")))
                        .header("Cookie", "oqto_session=" + cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, old.statusCode(), "the signed-out cookie no longer works");

        String admin = "x" + d.tag;
        d.user(admin);
        assertEquals(
                201,
                d.send(
                                "POST",
                                "/api/v1/admin/users",
                                "{\"name\":\"" + admin + "\",\"email\":\"a@example.com\",\"role\":\"admin\"}",
                                d.adminToken)
                        .statusCode());
        d.send(
                "PUT",
                "/api/v1/admin/users/" + admin + "/password",
                "{\"password\":\"the admins passphrase\"}",
                d.adminToken);
        signIn(admin, "the admins passphrase");
        visible(By.id("nav-admin")).click();

        String bob = "y" + d.tag;
        d.user(bob);
        visible(By.id("user-name")).sendKeys(bob);
        browser.findElement(By.id("user-email")).sendKeys("bob@example.com");
        browser.findElement(By.id("user-create")).click();
        wait.withTimeout(Duration.ofSeconds(150))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-status"), "Created " + bob));
        WebElement row = visible(By.cssSelector("tr[data-user='" + bob + "']"));
        wait.until(x -> row.findElement(By.className("runner")).getText().startsWith("up, pid"));
        row.findElement(By.cssSelector("[data-action='reset-password']")).click();
        visible(By.cssSelector("input[aria-label='New password for " + bob + "']"))
                .sendKeys("bobs first passphrase", org.openqa.selenium.Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("admin-status"), "Password of " + bob + " set"));

        browser.findElement(By.id("logout")).click();
        signIn(bob, "bobs first passphrase");
        visible(By.id("sessions-title"));
        assertEquals(0, browser.findElements(By.cssSelector("#session-list li")).size(), "none of alice's sessions");
        assertFalse(browser.findElement(By.id("nav-admin")).isDisplayed());
        browser.get(d.api.url("/#/files"));
        visible(By.id("files-title"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("entries")));
        assertEquals(
                0, browser.findElements(By.cssSelector("tr[data-name='docs']")).size(), "not alice's files");
    }

    @Test
    @Order(10)
    void aCrossSiteFormPostAndOtherUsersRoutesAreRefused() throws Exception {
        // Signed in as bob (the previous test). A page of another origin (another port) posts a form at the API: at
        // sign-out, which takes any body (a forced sign-out is an attack too); a form cannot send JSON.
        String html = "<!doctype html><form id=f method=post action='" + d.api.url("/api/v1/auth/logout")
                + "'><input name=a value=b></form><script>document.getElementById('f').submit()</script>";
        com.sun.net.httpserver.HttpServer evil = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        evil.createContext("/", ex -> {
            byte[] body = html.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        evil.start();
        try {
            browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            // The refusal is shown, or (a JSON answer to a navigation) saved as a download: either way it came.
            wait.until(x -> {
                try (Stream<Path> saved = Files.list(downloads)) {
                    return browser.findElement(By.tagName("body")).getText().contains("csrf_refused")
                            || saved.anyMatch(f -> f.getFileName().toString().startsWith("logout")
                                    && !f.getFileName().toString().endsWith(".crdownload"));
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        } finally {
            evil.stop(0);
        }

        browser.get(d.api.url("/#/chat"));
        visible(By.id("sessions-title"));
        Object answers = ((JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "Promise.all(['/api/v1/me', '/api/v1/admin/users', '/api/v1/users/" + alice + "/sessions']"
                        + ".map(u => fetch(u).then(r => r.status))).then(s => done(s.join(',')));");
        assertEquals(
                "200,403,403", answers, "still signed in; bob's cookie reaches neither the admin routes nor alice's");
    }

    @Test
    @Order(11)
    void theProcessesPageShowsLiveOutputAndStopsAProcess() throws Exception {
        String bob = "y" + d.tag;
        HttpResponse<String> spawned = d.send(
                "POST",
                "/api/v1/users/" + bob + "/processes",
                "{\"name\":\"ticker\",\"argv\":[\"sh\",\"-c\",\"i=0; while true; do i=$((i+1)); echo tick $i;"
                        + " sleep 0.2; done\"]}",
                d.adminToken);
        assertEquals(201, spawned.statusCode(), spawned.body());
        browser.get(d.api.url("/#/processes"));
        WebElement row = visible(By.cssSelector("tr[data-name='ticker']"));
        assertTrue(row.getText().contains("running"), row.getText());
        row.findElement(By.xpath(".//button[text()='Output']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("output-text"), "tick 3"));
        browser.findElement(By.cssSelector("tr[data-name='ticker'] [data-action='stop']"))
                .click();
        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-name='ticker']"), "exited"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("output-text"), "[exited"));
    }

    @Test
    @Order(12)
    void anAdminWorksFromTheKeyboardAndDisablesEnablesAndDeletesAUser() throws Exception {
        browser.findElement(By.id("logout")).click();
        // Keyboard only: the name field has the focus, Tab goes to the password, Enter signs in.
        WebElement name = visible(By.id("login-name"));
        wait.until(x -> name.equals(browser.switchTo().activeElement()));
        new org.openqa.selenium.interactions.Actions(browser)
                .sendKeys("x" + d.tag)
                .sendKeys(org.openqa.selenium.Keys.TAB)
                .sendKeys("the admins passphrase")
                .sendKeys(org.openqa.selenium.Keys.ENTER)
                .perform();
        visible(By.id("nav-admin")).click();
        String bob = "y" + d.tag;
        WebElement row = visible(By.cssSelector("tr[data-user='" + bob + "']"));
        row.findElement(By.cssSelector("[data-action='disable']")).click();
        wait.until(x -> browser.findElement(By.cssSelector("tr[data-user='" + bob + "']"))
                .getText()
                .contains("disabled"));
        browser.findElement(By.cssSelector("tr[data-user='" + bob + "'] [data-action='enable']"))
                .click();
        wait.until(x -> browser.findElement(By.cssSelector("tr[data-user='" + bob + "']"))
                .getText()
                .contains("active"));
        browser.findElement(By.cssSelector("tr[data-user='" + bob + "'] [data-action='delete']"))
                .click();
        assertTrue(visible(By.cssSelector("tr[data-user='" + bob + "'] [role='alert']"))
                .getText()
                .contains("Delete " + bob));
        assertEquals(
                0,
                Commands.run(List.of("id", "-u", "oqto_" + bob), Duration.ofSeconds(10))
                        .exit(),
                "not yet");
        browser.findElement(By.cssSelector("tr[data-user='" + bob + "'] [data-action='yes-delete']"))
                .click();
        wait.withTimeout(Duration.ofSeconds(150))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-status"), "Deleted " + bob));
        assertEquals(
                0,
                browser.findElements(By.cssSelector("tr[data-user='" + bob + "']"))
                        .size());
        assertTrue(
                Commands.run(List.of("id", "-u", "oqto_" + bob), Duration.ofSeconds(10))
                                .exit()
                        != 0,
                "gone");
    }

    @Test
    @Order(13)
    void atAPhonesWidthNothingOverflowsAndTheChatFoldsToOneColumn() {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            for (String page : List.of("/#/chat", "/#/files", "/#/admin")) {
                browser.get(d.api.url(page));
                visible(By.id("bar"));
                wait.until(x -> ((Number) ((JavascriptExecutor) browser)
                                        .executeScript("return document.querySelectorAll('#view > *').length"))
                                .intValue()
                        > 0);
                Object overflow = ((JavascriptExecutor) browser)
                        .executeScript(
                                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertEquals(0L, ((Number) overflow).longValue(), page + " is wider than the phone");
            }
            browser.get(d.api.url("/#/chat"));
            visible(By.id("sessions-title"));
            Object columns = ((JavascriptExecutor) browser)
                    .executeScript("return getComputedStyle(document.querySelector('.chat')).gridTemplateColumns;");
            assertFalse(String.valueOf(columns).contains(" "), "one column: " + columns);
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    @Test
    @Order(14)
    void aTerminalInTheBrowserIsTheUsersShellAndFollowsTheWindowsSize() throws Exception {
        browser.get(d.api.url("/#/chat"));
        visible(By.id("logout")).click();
        signIn(alice, PASSWORD);
        visible(By.id("nav-terminal")).click();
        visible(By.id("terminal-new")).click();
        XtermPage term = new XtermPage(browser);
        wait.until(x -> term.status().startsWith("terminal t-"));
        wait.until(x -> !term.screen().isBlank()); // the shell's prompt

        term.type("echo $((6*7)); id -un\n");
        term.awaitRow("42");
        term.awaitRow("oqto_" + alice);

        // stty size is the shell's view of the pseudo-terminal: it matches xterm.js's rows and columns, and changes
        // with the window.
        term.type("echo size-$(stty size | tr ' ' x)\n");
        java.util.regex.Matcher before = term.awaitRow("size-(\\d+)x(\\d+)");
        assertEquals(term.rows().size(), Integer.parseInt(before.group(1)), "rows as xterm.js draws them");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(900, 600));
        try {
            wait.until(x -> term.rows().size() < Integer.parseInt(before.group(1)));
            int rows = term.rows().size();
            term.type("clear; echo size-$(stty size | tr ' ' x)\n");
            java.util.regex.Matcher after = term.awaitRow("size-" + rows + "x(\\d+)");
            assertTrue(
                    Integer.parseInt(after.group(1)) < Integer.parseInt(before.group(2)),
                    "fewer columns: " + after.group() + " after " + before.group());
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }

        // Ctrl-C interrupts the foreground program.
        term.type("sleep 600\n");
        wait.until(x -> Commands.running("oqto_" + alice, "sleep 600"));
        term.type(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "c"));
        wait.until(x -> !Commands.running("oqto_" + alice, "sleep 600"));
        term.type("echo after-$((1+1))\n");
        term.awaitRow("after-2");

        // Full-screen programs: vi writes a file, top draws and quits.
        term.type("vi vi-note.txt\n");
        term.await("\"vi-note.txt\""); // vi's status line
        term.type("ihello from vi", org.openqa.selenium.Keys.ESCAPE, ":wq\n");
        term.type("clear; cat -n vi-note.txt\n");
        term.awaitRow("\\s*1\\s+hello from vi"); // numbered: the file's line, not vi's screen
        term.type("top\n");
        term.await("load average");
        term.type("q");
        term.type("clear; echo after-top-$((2+3))\n");
        term.awaitRow("after-top-5");
        HeadlessChromium.screenshot(browser, "terminal");
    }

    @Test
    @Order(15)
    void aTerminalTabReconnectsToTheSameShellAfterANetworkDropAndEndsIt() throws Exception {
        String id = (String) ((JavascriptExecutor) browser).executeScript("return location.hash.slice(1);");
        assertTrue(id.startsWith("t-"), id);
        XtermPage term = new XtermPage(browser);
        try (TcpRelay relay = new TcpRelay(d.port)) {
            browser.get("http://127.0.0.1:" + relay.port() + "/terminal.html#" + id);
            wait.until(x -> term.status().equals("terminal " + id));
            term.type("clear; echo shell-$$\n");
            String shell = term.awaitRow("shell-(\\d+)").group(1);
            relay.cut();
            wait.until(x -> term.status().startsWith("connection lost; reconnecting"));
            wait.until(x -> term.status().equals("terminal " + id));
            term.awaitRow("shell-" + shell); // the recent output, shown again
            term.type("echo again-$$\n");
            term.awaitRow("again-" + shell);
            // The replayed output held vi's and top's queries (cursor position, colours): they are not answered
            // again into the shell.
            assertFalse(term.screen().contains("command not found"), term.screen());
        }
        browser.get(d.api.url("/terminal.html#" + id));
        wait.until(x -> term.status().equals("terminal " + id));
        HttpResponse<String> listed = d.send("GET", "/api/v1/users/" + alice + "/terminals", null, d.adminToken);
        long pid = Long.parseLong(listed.body().replaceAll("(?s).*\"id\":\"" + id + "\"[^}]*\"pid\":(\\d+).*", "$1"));
        List<ProcessHandle> tree = Stream.concat(
                        ProcessHandle.of(pid).stream(),
                        ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants))
                .toList();
        assertTrue(tree.size() >= 2, "the terminal's program and its shell: " + listed.body());
        visible(By.id("terminal-end")).click();
        wait.until(x -> term.status().equals("no terminal open"));
        wait.until(x -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertEquals(
                "[]",
                d.send("GET", "/api/v1/users/" + alice + "/terminals", null, d.adminToken)
                        .body());
    }

    private void signIn(String name, String password) {
        visible(By.id("login-name")).sendKeys(name);
        browser.findElement(By.id("login-password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
        visible(By.id("who"));
    }
}

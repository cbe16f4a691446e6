package io.oqto.systemtests;

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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String PASSWORD = "alices browser passphrase";

    private MultiUserDeployment d;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private String alice;

    @BeforeAll
    void start() throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium and chromium-driver are installed by scripts/install-test-deps; these tests do not skip");
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
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root (CI) Chromium needs --no-sandbox; /dev/shm may be small in containers.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--no-first-run");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
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
        Path dir = Files.createDirectories(Path.of("target/screenshots"));
        Files.write(
                dir.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
                browser.getScreenshotAs(OutputType.BYTES));
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
        for (String asset : List.of("/app.js", "/app.css", "/vendor/marked.js", "/vendor/purify.js")) {
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
        visible(By.id("new-provider")).sendKeys("fake");
        browser.findElement(By.id("new-model")).sendKeys(FakeLlm.MODEL);
        browser.findElement(By.id("new-session-submit")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("send")));
        WebElement prompt = visible(By.id("prompt"));
        // Record every state of the answer as it grows, to see that it arrives in pieces.
        ((JavascriptExecutor) browser)
                .executeScript("window.seen = new Set();"
                        + "new MutationObserver(() => document.querySelectorAll('.message.assistant .text')"
                        + ".forEach(t => window.seen.add(t.textContent))).observe(document.getElementById('messages'),"
                        + " {subtree: true, childList: true, characterData: true});");
        prompt.sendKeys("hello from the browser");
        browser.findElement(By.id("send")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".message.assistant .text"), "You said: hello from the browser"));
        long states = (Long) ((JavascriptExecutor) browser).executeScript("return window.seen.size;");
        assertTrue(states > 2, "the answer appeared in pieces, not at once: " + states + " states");

        wait.until(ExpectedConditions.elementToBeClickable(By.id("send")));
        visible(By.id("prompt")).sendKeys("run: echo made-by-the-tool");
        browser.findElement(By.id("send")).click();
        WebElement card = visible(By.cssSelector(".tool[data-tool='bash']"));
        assertTrue(card.getText().contains("echo made-by-the-tool"), card.getText());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".tool[data-tool='bash'] .tool-output"), "made-by-the-tool"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#messages"), "The command printed:"));
    }
}

package io.oqto.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in headless Chromium. First load of {@code /#/chat} with the cache off: bytes transferred (the
 * Resource Timing API's transfer sizes: headers and bodies) and time to interactive (the page's {@code oqto-ready}
 * mark: signed in, session list shown). Then, per round, the time from pressing Send to the first character of the
 * answer on the page, against the same prompt sent by an HTTP client (POST the prompt, read the SSE stream to the
 * first text delta), alternating, each on its own idle session; the real pi answers through the fake LLM.
 *
 *   UiBench <base url> <token file> <login link file> [rounds] [loads per round]
 */
public final class UiBench {

    private static final String SCRIPT_FIRST_CHAR = "const done = arguments[arguments.length - 1];"
            + "const before = document.querySelectorAll('.message.assistant .text').length;"
            + "const obs = new MutationObserver(() => {"
            + "  const t = document.querySelectorAll('.message.assistant .text');"
            + "  if (t.length > before && t[t.length - 1].textContent.length > 0) {"
            + "    obs.disconnect(); done(performance.now() - t0); } });"
            + "obs.observe(document.getElementById('messages'), {subtree: true, childList: true, characterData: true});"
            + "document.getElementById('prompt').value = 'hello';"
            + "const t0 = performance.now();"
            + "document.getElementById('prompt-form').requestSubmit();";

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = Files.readString(Path.of(args[1])).strip();
        Path linkFile = Path.of(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int loads = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        HttpClient http = HttpClient.newHttpClient();

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        ChromeDriver browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                        .usingAnyFreePort()
                        .build(),
                options);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(5));
        try {
            String link = Files.readString(linkFile).strip();
            browser.get(link); // signs in (single-user mode's link)
            try {
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sessions-title")));
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new IllegalStateException(
                        "the login link " + link.replaceAll("code=.*", "code=…") + " led to " + browser.getCurrentUrl()
                                + ": " + browser.findElement(By.tagName("body")).getText(),
                        e);
            }
            browser.executeCdpCommand("Network.enable", Map.of());
            browser.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));

            double[] bytes = new double[rounds];
            double[] tti = new double[rounds];
            double[] uiFirst = new double[rounds];
            double[] httpFirst = new double[rounds];
            int n = 0;
            for (int r = -1; r < rounds; r++) { // round -1 warms up
                double[] b = new double[loads];
                double[] t = new double[loads];
                for (int i = 0; i < loads; i++) {
                    browser.get("about:blank");
                    browser.get(base + "/#/chat");
                    wait.until(x ->
                            number(browser.executeScript("return performance.getEntriesByName('oqto-ready').length"))
                                    > 0);
                    b[i] = number(
                            browser.executeScript("return performance.getEntriesByType('navigation')[0].transferSize"
                                    + " + performance.getEntriesByType('resource')"
                                    + ".reduce((s, e) => s + e.transferSize, 0);"));
                    t[i] = number(
                            browser.executeScript("return performance.getEntriesByName('oqto-ready')[0].startTime;"));
                }
                String ui = session(http, base, token, "ui-" + n);
                String direct = session(http, base, token, "http-" + n++);
                browser.get(base + "/#/chat/" + ui);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("#session-list .state"), "idle"));
                double u = number(browser.executeAsyncScript(SCRIPT_FIRST_CHAR));
                double h = firstCharOverHttp(http, base, token, direct);
                if (r >= 0) {
                    bytes[r] = Stats.median(b);
                    tti[r] = Stats.median(t);
                    uiFirst[r] = u;
                    httpFirst[r] = h;
                }
                for (String id : List.of(ui, direct)) {
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/sessions/" + id))
                                    .header("Authorization", "Bearer " + token)
                                    .DELETE()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                }
            }
            System.out.printf("web UI in headless Chromium, %d rounds (median [range])%n", rounds);
            System.out.printf(
                    "  first load of /#/chat, cache off: %.0f bytes [%s]; time to interactive %.0f ms [%s]"
                            + " (median of %d loads a round)%n",
                    Stats.median(bytes), Stats.range(bytes), Stats.median(tti), Stats.range(tti), loads);
            System.out.printf(
                    "  Send -> first character: in the UI %.0f ms [%s]; over HTTP (POST + SSE) %.0f ms [%s];"
                            + " the UI adds %.0f ms [%s]%n",
                    Stats.median(uiFirst),
                    Stats.range(uiFirst),
                    Stats.median(httpFirst),
                    Stats.range(httpFirst),
                    Stats.median(Stats.minus(uiFirst, httpFirst)),
                    Stats.range(Stats.minus(uiFirst, httpFirst)));
        } finally {
            browser.quit();
        }
    }

    private static double number(@Nullable Object fromPage) {
        if (!(fromPage instanceof Number n)) {
            throw new IllegalStateException("the page answered " + fromPage + ", not a number");
        }
        return n.doubleValue();
    }

    /** A new session with the fake LLM's model, once it is idle. */
    private static String session(HttpClient http, String base, String token, String id) throws Exception {
        SessionRelayBench.post(
                http,
                base + "/api/v1/users/me/sessions",
                token,
                "{\"session\":\"" + id + "\",\"provider\":\"fake\",\"model\":\"fake-model\"}");
        SessionRelayBench.waitIdle(http, base, token, id);
        return id;
    }

    /** Milliseconds from sending the prompt to the first text delta on the session's event stream. */
    private static double firstCharOverHttp(HttpClient http, String base, String token, String id) throws Exception {
        String info = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/users/me/sessions/" + id))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        String lastSeq = info.replaceAll("(?s).*\"last_seq\":(\\d+).*", "$1");
        CountDownLatch first = new CountDownLatch(1);
        long[] at = new long[1];
        try (Sse sse = new Sse(
                http, base + "/api/v1/users/me/sessions/" + id + "/events?after=" + lastSeq, token, (name, data) -> {
                    if (name.equals("message.delta") && data.contains("\"kind\":\"text\"") && first.getCount() > 0) {
                        at[0] = System.nanoTime();
                        first.countDown();
                    }
                })) {
            long t0 = System.nanoTime();
            SessionRelayBench.post(
                    http, base + "/api/v1/users/me/sessions/" + id + "/prompt", token, "{\"message\":\"hello\"}");
            if (!first.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no answer on session " + id);
            }
            return (at[0] - t0) / 1e6;
        }
    }
}

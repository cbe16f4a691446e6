package io.oqto.systemtests;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI's terminal page as a test reads and types into it: the screen is xterm.js's rows (its DOM renderer
 * draws each row as an element, spaces as no-break spaces), keys go to xterm.js's input element as a person's would.
 */
final class XtermPage {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ChromeDriver browser;

    XtermPage(ChromeDriver browser) {
        this.browser = browser;
    }

    private WebDriverWait waiting(Supplier<String> message) {
        return (WebDriverWait) new WebDriverWait(browser, WAIT).withMessage(message);
    }

    /** The visible rows, top to bottom, trailing blanks removed. */
    List<String> rows() {
        Object rows = ((JavascriptExecutor) browser)
                .executeScript("return [...document.querySelectorAll('#terminal .xterm-rows > div')]"
                        + ".map(r => r.textContent);");
        return ((List<?>) rows)
                .stream()
                        .map(r -> String.valueOf(r).replace('\u00a0', ' ').stripTrailing())
                        .toList();
    }

    String screen() {
        return String.join("\n", rows());
    }

    void type(CharSequence... keys) {
        browser.findElement(By.cssSelector("#terminal .xterm-helper-textarea")).sendKeys(keys);
    }

    /** Waits for a whole row matching {@code regex}; the last such row's groups. */
    Matcher awaitRow(String regex) {
        Pattern p = Pattern.compile(regex);
        return waiting(() -> "no row matching " + regex + " on the screen:\n" + screen())
                .until(x -> {
                    Matcher last = null;
                    for (String row : rows()) {
                        Matcher m = p.matcher(row);
                        if (m.matches()) {
                            last = m;
                        }
                    }
                    return last;
                });
    }

    /** Waits until the screen shows {@code text} somewhere. */
    void await(String text) {
        waiting(() -> "no " + text + " on the screen:\n" + screen()).until(x -> screen().contains(text));
    }

    String status() {
        return browser.findElement(By.id("terminal-status")).getText();
    }
}

package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The README's run command as a new user meets it: {@code scripts/oqto-single-user} starts both distributions,
 * prints a sign-in link, and that link opened in Chromium signs the browser in to the web UI; Ctrl-C (SIGTERM)
 * stops everything it started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunCommandSystemIT {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Pattern SIGN_IN = Pattern.compile("Sign in +(\\S+)");

    private Path work;
    private Path output;
    private Process run;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "oqto-run-");
        Path home = Files.createDirectories(work.resolve("home"));
        Path runtime = Files.createDirectories(work.resolve("runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        output = work.resolve("run-command.out");
        ProcessBuilder pb = new ProcessBuilder(
                        ROOT.resolve("scripts/oqto-single-user").toString(),
                        "--port",
                        Integer.toString(Commands.freePort()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // A user with nothing yet: a fresh home, no config file, no state.
        pb.environment().keySet().removeIf(k -> k.startsWith("OQTO_") || k.startsWith("XDG_"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        run = pb.start();
        browser = HeadlessChromium.start(work);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (run != null && run.isAlive()) {
                Commands.stop(List.of(run));
            }
            Commands.runOk(List.of("rm", "-rf", work.toString()));
        }
    }

    @Test
    void thePrintedLinkSignsTheBrowserInAndCtrlCStopsEverything() throws Exception {
        Commands.waitFor(
                "the run command to print its sign-in link",
                Duration.ofMinutes(4),
                () -> SIGN_IN.matcher(Commands.read(output)).find() || !run.isAlive(),
                output);
        Matcher m = SIGN_IN.matcher(Commands.read(output));
        assertTrue(m.find(), Commands.read(output));
        String link = m.group(1);
        assertTrue(link.matches("http://127\\.0\\.0\\.1:\\d+/api/v1/auth/link\\?code=olc_[A-Za-z0-9_-]{43}"), link);

        browser.get(link);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sessions-title")));
        assertEquals(
                System.getProperty("user.name") + " (admin)",
                browser.findElement(By.id("who")).getText(),
                "signed in as the user who ran it, without a password");
        HeadlessChromium.screenshot(browser, "runCommandSignIn");

        run.destroy(); // SIGTERM, as Ctrl-C's trap handles it
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run command stops: " + Commands.read(output));
        assertTrue(Commands.read(output).contains("Stopped."), Commands.read(output));
        String unpacked = "-Dkaraf.home=" + ROOT.resolve(".run");
        Commands.waitFor(
                "no process of the run command left",
                Duration.ofSeconds(30),
                () -> ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info().commandLine().orElse("").contains(unpacked)),
                output);
    }
}

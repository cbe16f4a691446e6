package io.oqto.usermgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd path, against a recording stand-in for systemctl and loginctl (systemd is not PID 1 here, so
 * the real commands cannot run): which commands, with which arguments, in which order.
 */
class SystemdManagerTest {

    @TempDir
    Path units;

    private final List<String> ran = new ArrayList<>();
    private String showOutput = "";
    /** What {@code show} prints for a socket unit. */
    private String socketShowOutput = "";

    private SystemdManager manager() {
        return manager(Map.of());
    }

    private SystemdManager manager(Map<String, Object> usermgr) {
        Exec exec = argv -> {
            ran.add(String.join(" ", argv));
            boolean socket = argv.get(argv.size() - 1).endsWith(".socket");
            return new Exec.Result(0, !argv.contains("show") ? "" : socket ? socketShowOutput : showOutput);
        };
        Settings settings = Settings.from(
                Path.of("/etc/oqto/config.toml"), Map.of("usermgr", usermgr, "runner", Map.of(), "routing", Map.of()));
        return new SystemdManager(settings, new RuntimeDirs(exec, "oqto"), exec, List.of(units));
    }

    private static final Account ALICE = new Account("oqto_alice", 2001, 2001, Path.of("/home/oqto_alice"));

    @Test
    void installedUnitsAreEnabledAndStartedInTheUsersManagerTheRunnerBySocket() throws IOException {
        Files.writeString(units.resolve("oqto-runner.service"), "");
        Files.writeString(units.resolve("oqto-runner.socket"), "");
        Files.writeString(units.resolve("hstry.service"), "");
        Map<String, Object> started = manager().start(ALICE);
        assertEquals(
                List.of(
                        "/usr/bin/systemctl --user --machine=oqto_alice@.host enable --now hstry.service oqto-runner.socket"),
                ran);
        assertEquals(List.of("hstry", "oqto-runner"), started.get("started"));
        assertEquals(List.of("eavs", "mmry"), started.get("not_installed"));
    }

    @Test
    void withoutTheSocketUnitActivationIsRefusedNamingTheWayOut() throws IOException {
        Files.writeString(units.resolve("oqto-runner.service"), "");
        IOException e = assertThrows(IOException.class, () -> manager().start(ALICE));
        assertEquals(
                "oqto-runner.socket is not installed in [" + units
                        + "] (run systemd/install, or set [usermgr] runner_activation = \"always\")",
                e.getMessage());
        assertEquals(List.of(), ran);
    }

    @Test
    void alwaysStartsTheRunnerServiceItself() throws IOException {
        Files.writeString(units.resolve("oqto-runner.service"), "");
        Files.writeString(units.resolve("hstry.service"), "");
        Map<String, Object> started =
                manager(Map.of("runner_activation", "always")).start(ALICE);
        assertEquals(
                List.of(
                        "/usr/bin/systemctl --user --machine=oqto_alice@.host enable --now hstry.service oqto-runner.service"),
                ran);
        assertEquals(List.of("hstry", "oqto-runner"), started.get("started"));
        assertEquals(List.of("eavs", "mmry"), started.get("not_installed"));
    }

    @Test
    void withoutTheRunnerUnitNothingIsStarted() {
        IOException e = assertThrows(IOException.class, () -> manager().start(ALICE));
        assertEquals("oqto-runner.service is not installed in [" + units + "] (run systemd/install)", e.getMessage());
        assertEquals(List.of(), ran);
    }

    @Test
    void stopDisablesTheRunnersSocketAndRunnerFirstThenStopsTheUsersManager() throws IOException {
        Files.writeString(units.resolve("oqto-runner.service"), "");
        Files.writeString(units.resolve("oqto-runner.socket"), "");
        Files.writeString(units.resolve("eavs.service"), "");
        Map<String, Object> stopped = manager().stop(ALICE);
        assertEquals(List.of("oqto-runner", "eavs"), stopped.get("stopped"));
        assertEquals(
                List.of(
                        "/usr/bin/systemctl --user --machine=oqto_alice@.host disable --now oqto-runner.socket oqto-runner.service eavs.service",
                        "/usr/bin/systemctl stop user@2001.service"),
                ran);
    }

    @Test
    void lingerIsLogindsAndStatusIsReadFromTheUnits() throws IOException {
        Files.writeString(units.resolve("oqto-runner.service"), "");
        manager().setLinger(ALICE, true);
        manager().setLinger(ALICE, false);
        showOutput = "ActiveState=active\nMainPID=4242\nNRestarts=3\n";
        Map<String, Object> status = manager().status(ALICE);
        assertEquals(
                List.of(
                        "/usr/bin/loginctl enable-linger oqto_alice",
                        "/usr/bin/loginctl disable-linger oqto_alice",
                        "/usr/bin/systemctl --user --machine=oqto_alice@.host show --property=ActiveState,MainPID,NRestarts oqto-runner.service"),
                ran);
        assertEquals(
                Map.of("state", "running", "pid", 4242L, "restarts", 3L),
                ((Map<?, ?>) status.get("services")).get("oqto-runner"));
        assertEquals(Map.of("state", "not_installed"), ((Map<?, ?>) status.get("services")).get("eavs"));
    }

    @Test
    void aRunnerNotRunningBehindAnActiveSocketIsWaiting() throws IOException {
        Files.writeString(units.resolve("oqto-runner.service"), "");
        Files.writeString(units.resolve("oqto-runner.socket"), "");
        showOutput = "ActiveState=inactive\nMainPID=0\nNRestarts=0\n";
        socketShowOutput = "ActiveState=active\n";
        Map<String, Object> status = manager().status(ALICE);
        assertEquals("waiting", ((Map<?, ?>) ((Map<?, ?>) status.get("services")).get("oqto-runner")).get("state"));
        assertEquals(
                "/usr/bin/systemctl --user --machine=oqto_alice@.host show --property=ActiveState oqto-runner.socket",
                ran.get(ran.size() - 1));
    }
}

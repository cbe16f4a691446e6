package io.oqto.usermgr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The seed's deployment: lingering through logind, the user's own systemd instance ({@code user@<uid>}),
 * and the units installed system-wide in {@code /usr/lib/systemd/user/} enabled and started in it. The unit
 * files are the operator's (installed by {@code systemd/install}); nothing here writes one.
 */
final class SystemdManager implements ServiceManager {

    static final List<Path> UNIT_DIRS = List.of(Path.of("/etc/systemd/user"), Path.of("/usr/lib/systemd/user"));
    private final Settings settings;
    private final RuntimeDirs dirs;
    private final Exec exec;
    private final List<Path> unitDirs;

    SystemdManager(Settings settings, RuntimeDirs dirs, Exec exec, List<Path> unitDirs) {
        this.settings = settings;
        this.dirs = dirs;
        this.exec = exec;
        this.unitDirs = unitDirs;
    }

    @Override
    public String name() {
        return "systemd";
    }

    @Override
    public void setLinger(Account a, boolean enabled) throws IOException {
        exec.check(List.of(Bin.LOGINCTL, enabled ? "enable-linger" : "disable-linger", a.name()));
    }

    @Override
    public void prepareRuntime(Account a) throws IOException {
        exec.check(List.of(Bin.SYSTEMCTL, "start", "user@" + a.uid() + ".service"));
        long deadline = System.nanoTime() + settings.commandTimeout().toNanos();
        while (!Files.exists(a.runtimeDir().resolve("bus"))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("user@" + a.uid() + ".service started but "
                        + a.runtimeDir().resolve("bus") + " did not appear");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        dirs.secure(a);
    }

    private List<String> userctl(Account a, String... args) {
        List<String> argv = new ArrayList<>(List.of(Bin.SYSTEMCTL, "--user", "--machine=" + a.name() + "@.host"));
        argv.addAll(List.of(args));
        return argv;
    }

    private boolean installed(String unit) {
        return unitDirs.stream().anyMatch(d -> Files.exists(d.resolve(unit)));
    }

    /** Socket activation: the runner's socket unit is what gets enabled; it starts the service at a connection. */
    private boolean activated() {
        return settings.runnerActivation().equals("socket");
    }

    private static final String RUNNER_SOCKET = Settings.RUNNER + ".socket";

    @Override
    public Map<String, Object> start(Account a) throws IOException {
        List<String> units = new ArrayList<>();
        List<String> notInstalled = new ArrayList<>();
        for (String name : settings.userServices().keySet()) {
            if (name.equals(Settings.RUNNER) && activated() && installed(name + ".service")) {
                if (!installed(RUNNER_SOCKET)) {
                    throw new IOException(RUNNER_SOCKET + " is not installed in " + unitDirs
                            + " (run systemd/install, or set [usermgr] runner_activation = \"always\")");
                }
                units.add(RUNNER_SOCKET);
            } else if (installed(name + ".service")) {
                units.add(name + ".service");
            } else if (name.equals(Settings.RUNNER)) {
                throw new IOException("oqto-runner.service is not installed in " + unitDirs + " (run systemd/install)");
            } else {
                notInstalled.add(name);
            }
        }
        List<String> argv = userctl(a, "enable", "--now");
        argv.addAll(units);
        exec.check(argv);
        return Map.of(
                "manager",
                name(),
                "started",
                units.stream()
                        .map(u -> u.replaceAll("\\.(service|socket)$", ""))
                        .toList(),
                "already_running",
                List.of(),
                "not_installed",
                notInstalled);
    }

    @Override
    public Map<String, Object> stop(Account a) throws IOException {
        List<String> units = new ArrayList<>();
        List<String> names = new ArrayList<>(settings.userServices().keySet());
        Collections.reverse(names);
        if (installed(RUNNER_SOCKET)) {
            units.add(RUNNER_SOCKET); // first: no connection may start the runner again while it stops
        }
        names.stream().filter(n -> installed(n + ".service")).forEach(n -> units.add(n + ".service"));
        List<String> argv = userctl(a, "disable", "--now");
        argv.addAll(units);
        // The user's manager may already be gone (no linger, no login): nothing left to stop then.
        exec.run(argv);
        exec.run(List.of(Bin.SYSTEMCTL, "stop", "user@" + a.uid() + ".service"));
        return Map.of(
                "manager",
                name(),
                "stopped",
                units.stream()
                        .filter(u -> u.endsWith(".service"))
                        .map(u -> u.replace(".service", ""))
                        .toList());
    }

    @Override
    public Map<String, Object> status(Account a) throws IOException {
        Map<String, Object> services = new LinkedHashMap<>();
        for (String name : settings.userServices().keySet()) {
            if (!installed(name + ".service")) {
                services.put(name, Map.of("state", "not_installed"));
                continue;
            }
            Map<String, String> s = show(a, name + ".service", "ActiveState,MainPID,NRestarts");
            // The same shape as the supervisor's: numbers, and no pid when nothing runs.
            long pid = number(s.get("MainPID"));
            Map<String, Object> status = new LinkedHashMap<>();
            String state = "active".equals(s.get("ActiveState")) ? "running" : String.valueOf(s.get("ActiveState"));
            if (!state.equals("running")
                    && name.equals(Settings.RUNNER)
                    && installed(RUNNER_SOCKET)
                    && "active".equals(show(a, RUNNER_SOCKET, "ActiveState").get("ActiveState"))) {
                state = "waiting"; // no runner now; its socket starts one at the next connection
            }
            status.put("state", state);
            status.put("pid", pid > 0 ? pid : null);
            status.put("restarts", number(s.get("NRestarts")));
            services.put(name, status);
        }
        return Map.of("manager", name(), "services", services);
    }

    private Map<String, String> show(Account a, String unit, String properties) throws IOException {
        Exec.Result r = exec.run(userctl(a, "show", "--property=" + properties, unit));
        Map<String, String> s = new LinkedHashMap<>();
        for (String line : r.output().split("\n", -1)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                s.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return s;
    }

    private static long number(@Nullable Object v) {
        try {
            return Long.parseLong(String.valueOf(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        // The user managers are systemd's; they keep running without the helper.
    }
}

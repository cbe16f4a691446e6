package io.oqto.usermgr;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The service manager where systemd is not PID 1: the helper creates {@code /run/user/<uid>} itself,
 * starts each user's services as that user, restarts them when they die and stops them on request.
 * Lingering is a file per user in {@code [usermgr] linger_dir} (as logind keeps it), read at start so
 * lingering users' services come back after the helper restarts.
 */
final class Supervisor implements ServiceManager {

    private final Settings settings;
    private final RuntimeDirs dirs;
    private final PrintStream log;
    private final Map<String, Map<String, UserService>> users = new HashMap<>();
    /** Shared by every user's activated runner: a burst of first connections starts runners a few at a time. */
    private final Semaphore runnerStarts;

    Supervisor(Settings settings, RuntimeDirs dirs, PrintStream log) {
        this.settings = settings;
        this.dirs = dirs;
        this.log = log;
        this.runnerStarts = new Semaphore(settings.runnerStartsAtOnce(), true);
    }

    @Override
    public String name() {
        return "supervise";
    }

    private Path lingerDir() {
        return settings.lingerDir();
    }

    @Override
    public void setLinger(Account a, boolean enabled) throws IOException {
        Path file = lingerDir().resolve(a.name());
        if (enabled) {
            Files.createDirectories(
                    lingerDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        } else {
            Files.deleteIfExists(file);
        }
    }

    /** The users whose services should run whenever the helper does. */
    List<String> lingering() throws IOException {
        if (!Files.isDirectory(lingerDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(lingerDir())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public void prepareRuntime(Account a) throws IOException {
        dirs.create(a);
    }

    @Override
    public synchronized Map<String, Object> start(Account a) throws IOException {
        Map<String, UserService> running = users.computeIfAbsent(a.name(), k -> new LinkedHashMap<>());
        List<String> started = new ArrayList<>();
        List<String> already = new ArrayList<>();
        List<String> notInstalled = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : settings.userServices().entrySet()) {
            String name = e.getKey();
            List<String> argv = e.getValue();
            if (argv.isEmpty()) {
                continue;
            }
            if (!Files.isExecutable(Path.of(argv.get(0)))) {
                if (name.equals(Settings.RUNNER)) {
                    throw new IOException("the runner " + argv.get(0) + " is not installed ([usermgr] runner_command)");
                }
                // Wants=, not Requires=: the runner starts without them, and says which are missing.
                notInstalled.add(name);
                continue;
            }
            if (running.containsKey(name)) {
                already.add(name);
                continue;
            }
            TrustedPrograms.check(Path.of(argv.get(0)));
            if (name.equals(Settings.RUNNER) && settings.runnerActivation().equals("socket")) {
                // No runner yet: its socket, and a runner when the first client connects.
                running.put(
                        name,
                        new ActivatedRunner(a, settings.runnerSocket(a), builder(a, argv), dirs, runnerStarts, log));
                started.add(name);
                continue;
            }
            SupervisedService s = new SupervisedService(
                    a.name() + "/" + name, builder(a, name.equals("eavs") ? withEavsEnv(argv) : argv), log);
            s.start();
            running.put(name, s);
            started.add(name);
        }
        log.println(a.name() + ": started " + started + (already.isEmpty() ? "" : ", already running " + already)
                + (notInstalled.isEmpty() ? "" : ", not installed " + notInstalled));
        return Map.of("manager", name(), "started", started, "already_running", already, "not_installed", notInstalled);
    }

    /**
     * eavs with its master key: {@code ~/.config/eavs/env} read into its environment when it exists, as the
     * {@code eavs.service} unit's {@code EnvironmentFile=-%h/.config/eavs/env} does. Read by the shell that then
     * becomes eavs, running as the user: root never reads a file of the user's.
     */
    static List<String> withEavsEnv(List<String> argv) {
        List<String> wrapped = new ArrayList<>(List.of(
                "/bin/sh",
                "-c",
                "if [ -r \"$HOME/.config/eavs/env\" ]; then set -a; . \"$HOME/.config/eavs/env\"; set +a; fi; exec \"$@\"",
                "eavs"));
        wrapped.addAll(argv);
        return wrapped;
    }

    private ProcessBuilder builder(Account a, List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(SupervisedService.asUser(a, argv))
                .directory(a.home().toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("HOME", a.home().toString());
        env.put("USER", a.name());
        env.put("LOGNAME", a.name());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("XDG_RUNTIME_DIR", a.runtimeDir().toString());
        env.put("OQTO_MODE", "multi-user");
        env.put("OQTO_CONFIG", settings.configFile().toString());
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null) {
            env.put("JAVA_HOME", javaHome);
        }
        return pb;
    }

    @Override
    public Map<String, Object> stop(Account a) {
        return stop(a.name());
    }

    private Map<String, Object> stop(String user) {
        Map<String, UserService> running;
        synchronized (this) {
            running = users.remove(user);
        }
        List<String> stopped = new ArrayList<>();
        if (running != null) {
            List<String> names = new ArrayList<>(running.keySet());
            Collections.reverse(names);
            for (String n : names) {
                UserService service = running.get(n);
                if (service != null) {
                    service.stop();
                }
                stopped.add(n);
            }
        }
        log.println(user + ": stopped " + stopped);
        return Map.of("manager", name(), "stopped", stopped);
    }

    @Override
    public synchronized Map<String, Object> status(Account a) {
        Map<String, UserService> running = users.getOrDefault(a.name(), Map.of());
        Map<String, Object> services = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : settings.userServices().entrySet()) {
            UserService s = running.get(e.getKey());
            if (s != null) {
                services.put(e.getKey(), s.status());
            } else if (!e.getValue().isEmpty()) {
                services.put(
                        e.getKey(),
                        Map.of(
                                "state",
                                Files.isExecutable(Path.of(e.getValue().get(0))) ? "stopped" : "not_installed"));
            }
        }
        return Map.of("manager", name(), "services", services);
    }

    /** Stops every user's services (the helper is shutting down), all users at once. */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        List<String> names;
        synchronized (this) {
            names = new ArrayList<>(users.keySet());
        }
        for (String n : names) {
            Thread t = new Thread(() -> stop(n), "usermgr stop " + n);
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

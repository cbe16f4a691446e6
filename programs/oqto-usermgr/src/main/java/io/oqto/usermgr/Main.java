package io.oqto.usermgr;

import io.oqto.config.files.ConfigFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code oqto-usermgr [--config FILE] [--check]}: the root helper. Reads {@code [usermgr]} of config.toml
 * ({@code OQTO_CONFIG}, default {@code /etc/oqto/config.toml}), refuses to run as anyone but root, and
 * serves the control plane on its socket until SIGTERM. {@code --check} only validates the configuration.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        String env = System.getenv("OQTO_CONFIG");
        Path config = Path.of(env != null && !env.isEmpty() ? env : "/etc/oqto/config.toml");
        boolean checkOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 == args.length) {
                        exit(64, "--config needs a file");
                    }
                    config = Path.of(args[++i]);
                }
                case "--check" -> checkOnly = true;
                default -> exit(64, "unknown argument " + args[i] + " (usage: oqto-usermgr [--config FILE] [--check])");
            }
        }
        Settings settings;
        try {
            settings = Settings.from(config.toAbsolutePath(), ConfigFiles.read(config, System.getenv()));
        } catch (IllegalArgumentException e) {
            exit(78, String.valueOf(e.getMessage()));
            return;
        }
        if (checkOnly) {
            System.out.println(config + ": ok");
            return;
        }
        if ((int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
            exit(
                    77,
                    "must run as root (it creates Linux users); the control plane talks to it over "
                            + settings.socket());
        }
        run(settings, System.out);
    }

    static void run(Settings settings, PrintStream log) throws IOException, InterruptedException {
        Exec exec = Exec.system(settings.commandTimeout());
        RuntimeDirs dirs = new RuntimeDirs(exec, settings.controlPlaneUser());
        boolean systemd = switch (settings.serviceManager()) {
            case "systemd" -> true;
            case "supervise" -> false;
            default -> ServiceManager.systemdRunning();
        };
        ServiceManager services = systemd
                ? new SystemdManager(settings, dirs, exec, SystemdManager.UNIT_DIRS)
                : new Supervisor(settings, dirs, log);
        Accounts accounts = new Accounts(settings, exec);
        HelperServer server = new HelperServer(
                settings,
                settings.validation(),
                new Handler(
                        accounts,
                        services,
                        dirs,
                        new EavsConfigFiles(settings.eavsUserConfig(), settings.commandTimeout()),
                        new MmryConfigFiles(settings.commandTimeout())),
                log);
        try {
            server.start();
        } catch (UserPrincipalNotFoundException e) {
            exit(
                    78,
                    "the control plane's user " + settings.controlPlaneUser()
                            + " ([runner] control_plane_user) does not exist");
        } catch (IOException e) {
            exit(71, "cannot listen on " + settings.socket() + ": " + e.getMessage());
        }
        log.println("oqto-usermgr listening on " + settings.socket() + " for root and " + settings.controlPlaneUser()
                + " (service manager: " + services.name() + ", users: " + settings.prefix() + "* in group "
                + settings.group() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.println("oqto-usermgr stopping");
                            server.close();
                            services.close();
                            stopped.countDown();
                        },
                        "usermgr shutdown"));
        if (services instanceof Supervisor supervisor) {
            startLingering(supervisor, accounts, log);
        }
        stopped.await();
    }

    /**
     * Lingering users' services come back when the helper starts (as systemd brings them back at boot).
     * Processes a killed predecessor left running are ended first: nobody supervises them any more, and a
     * runner still holding the socket would keep the new one from starting.
     */
    private static void startLingering(Supervisor supervisor, Accounts accounts, PrintStream log) throws IOException {
        for (String user : supervisor.lingering()) {
            try {
                Account a = accounts.require(user);
                if (accounts.hasProcesses(a.uid())) {
                    log.println(user + ": ending the processes an earlier helper left running");
                    if (!accounts.killAll(a.uid(), 10_000)) {
                        throw new IOException("processes of " + user + " survive SIGKILL");
                    }
                }
                supervisor.prepareRuntime(a);
                supervisor.start(a);
            } catch (IOException | Validation.Rejected e) {
                log.println(user + ": lingering, but its services cannot start: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void exit(int code, String message) {
        System.err.println("oqto-usermgr: " + message);
        System.exit(code);
    }
}

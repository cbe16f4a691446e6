package io.oqto.usermgr;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out one validated command. Commands that change the system run one at a time; ping and
 * service-status do not wait for them. A command that fails part-way undoes what it created.
 */
final class Handler {

    /** A command that could not be carried out; the message says which step and why. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    static final String VERSION = "1";
    private final Accounts accounts;
    private final ServiceManager services;
    private final RuntimeDirs dirs;
    private final EavsConfigFiles eavsConfig;
    private final MmryConfigFiles mmryConfig;
    private final Object changes = new Object();

    Handler(
            Accounts accounts,
            ServiceManager services,
            RuntimeDirs dirs,
            EavsConfigFiles eavsConfig,
            MmryConfigFiles mmryConfig) {
        this.accounts = accounts;
        this.services = services;
        this.dirs = dirs;
        this.eavsConfig = eavsConfig;
        this.mmryConfig = mmryConfig;
    }

    Map<String, Object> handle(Command command) throws Validation.Rejected, Failed {
        try {
            if (command instanceof Command.Ping) {
                return Map.of("version", VERSION, "service_manager", services.name());
            }
            if (command instanceof Command.ServiceStatus s) {
                return services.status(accounts.require(s.username()));
            }
            synchronized (changes) {
                return change(command);
            }
        } catch (IOException e) {
            throw new Failed(String.valueOf(e.getMessage()));
        }
    }

    private Map<String, Object> change(Command command) throws IOException, Validation.Rejected, Failed {
        if (command instanceof Command.CreateUser c) {
            Accounts.Created created = accounts.create(c);
            Account a = created.account();
            return Map.of(
                    "username", a.name(), "uid", a.uid(), "home", a.home().toString(), "created", created.created());
        }
        if (command instanceof Command.SetLinger l) {
            services.setLinger(accounts.require(l.username()), l.enabled());
            return Map.of("linger", l.enabled());
        }
        if (command instanceof Command.PrepareRuntime r) {
            Account a = accounts.require(r.username());
            services.prepareRuntime(a);
            return Map.of("runtime_dir", a.runtimeDir().toString());
        }
        if (command instanceof Command.StartServices s) {
            Account a = accounts.require(s.username());
            if (!Files.isDirectory(a.runtimeDir())) {
                throw new Failed(a.runtimeDir() + " does not exist: prepare-runtime first");
            }
            return services.start(a);
        }
        if (command instanceof Command.StopServices s) {
            return services.stop(accounts.require(s.username()));
        }
        if (command instanceof Command.WriteMmryConfig m) {
            return mmryConfig.write(accounts.require(m.username()), m);
        }
        if (command instanceof Command.WriteEavsConfig w) {
            return eavsConfig.write(accounts.require(w.username()), w.port(), w.masterKey());
        }
        if (command instanceof Command.DeleteUser d) {
            return delete(d);
        }
        throw new IllegalStateException("unhandled " + command);
    }

    /** Everything of the user goes: services, lingering, processes, runtime directory, account (and home). */
    private Map<String, Object> delete(Command.DeleteUser d) throws IOException, Validation.Rejected, Failed {
        var found = accounts.find(d.username());
        if (found.isEmpty()) {
            return Map.of("existed", false, "warnings", List.of());
        }
        Account a = found.get();
        accounts.requireOurs(a);
        List<String> warnings = new ArrayList<>();
        try {
            services.stop(a);
        } catch (IOException e) {
            warnings.add("stopping services: " + e.getMessage());
        }
        try {
            services.setLinger(a, false);
        } catch (IOException e) {
            warnings.add("disabling linger: " + e.getMessage());
        }
        try {
            if (!accounts.killAll(a.uid(), 10_000)) {
                throw new Failed("processes of " + a.name() + " survive SIGKILL; the account is kept");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while ending the processes of " + a.name());
        }
        // logind removes it when the user's manager stops; the supervisor made it; either way nothing may stay.
        dirs.remove(a);
        accounts.delete(a.name(), d.keepHome());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("existed", true);
        data.put("home_kept", d.keepHome());
        data.put("warnings", warnings);
        return data;
    }
}

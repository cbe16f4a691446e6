package io.oqto.usermgr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Platform users' Linux accounts: created in the fixed group with a home copied from the skeleton and a
 * private workspace root, and removed again. Only accounts with the prefix <em>and</em> in the group are
 * ever touched, so the helper cannot be talked into changing anyone else.
 */
final class Accounts {

    /** What {@link #create} did: {@code created} is false when the account was already there. */
    record Created(Account account, boolean created) {}

    private final Settings settings;
    private final Exec exec;

    Accounts(Settings settings, Exec exec) {
        this.settings = settings;
        this.exec = exec;
    }

    Optional<Account> find(String username) throws IOException {
        Exec.Result r = exec.run(List.of(Bin.GETENT, "passwd", username));
        if (r.code() == 2) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw new IOException("getent passwd " + username + " failed (exit " + r.code() + "): "
                    + r.output().strip());
        }
        return Optional.of(Account.parsePasswd(r.output()));
    }

    /** The account, which must exist and be a platform user's. */
    Account require(String username) throws IOException, Validation.Rejected {
        Account a = find(username).orElseThrow(() -> new Validation.Rejected("no such user " + username));
        requireOurs(a);
        return a;
    }

    /** Creates the account, or converges an existing one of ours (home, workspace root, modes). */
    synchronized Created create(Command.CreateUser c) throws IOException, Validation.Rejected {
        ensureGroup();
        Optional<Account> existing = find(c.username());
        if (existing.isPresent()) {
            Account a = existing.get();
            requireOurs(a);
            if (c.uid() != null && c.uid() != a.uid()) {
                throw new Validation.Rejected("user " + a.name() + " exists with uid " + a.uid() + ", not " + c.uid());
            }
            prepareHome(a);
            return new Created(a, false);
        }
        if (!Files.isDirectory(settings.skeleton())) {
            throw new IOException(
                    "the skeleton directory " + settings.skeleton() + " does not exist ([usermgr] skeleton)");
        }
        int uid = c.uid() != null ? c.uid() : freeUid();
        Path home = settings.homeBase().resolve(c.username());
        exec.check(List.of(
                Bin.USERADD,
                "--uid",
                Integer.toString(uid),
                "--user-group",
                "--groups",
                settings.group(),
                "--shell",
                c.shell(),
                "--comment",
                c.comment(),
                "--home-dir",
                home.toString(),
                "--create-home",
                "--skel",
                settings.skeleton().toString(),
                c.username()));
        try {
            Account a = find(c.username())
                    .orElseThrow(() -> new IOException("useradd succeeded but the user is not there"));
            prepareHome(a);
            return new Created(a, true);
        } catch (IOException | RuntimeException e) {
            exec.run(List.of(Bin.USERDEL, "--remove", c.username()));
            throw e;
        }
    }

    /** Removes the account (its processes must be gone); false when there was none. */
    synchronized boolean delete(String username, boolean keepHome) throws IOException, Validation.Rejected {
        Optional<Account> a = find(username);
        if (a.isEmpty()) {
            return false;
        }
        requireOurs(a.get());
        List<String> argv = new ArrayList<>(List.of(Bin.USERDEL));
        if (!keepHome) {
            argv.add("--remove");
        }
        argv.add(username);
        Exec.Result r = exec.run(argv);
        // 12: the home or mail spool could not be removed (a missing spool is only a warning on Debian).
        if (!r.ok() && !(r.code() == 12 && !Files.exists(a.get().home(), LinkOption.NOFOLLOW_LINKS))) {
            throw new IOException("userdel " + username + " failed (exit " + r.code() + "): "
                    + r.output().strip());
        }
        return true;
    }

    boolean hasProcesses(int uid) throws IOException {
        return exec.run(List.of(Bin.PGREP, "--uid", Integer.toString(uid))).code() == 0;
    }

    /** Ends every process of {@code uid}; true when none is left within the time. */
    boolean killAll(int uid, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        do {
            exec.run(List.of(Bin.PKILL, "--signal", "KILL", "--uid", Integer.toString(uid)));
            if (!hasProcesses(uid)) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Refuses any account that is not a platform user's: prefix, UID range and the platform group. */
    void requireOurs(Account a) throws IOException, Validation.Rejected {
        if (!a.name().startsWith(settings.prefix()) || a.uid() < settings.uidMin() || a.uid() > settings.uidMax()) {
            throw new Validation.Rejected("user " + a.name() + " (uid " + a.uid() + ") is not a platform user");
        }
        Exec.Result g = exec.run(List.of(Bin.GETENT, "group", settings.group()));
        String[] f = g.output().strip().split(":", -1);
        if (!g.ok() || f.length != 4 || !List.of(f[3].split(",")).contains(a.name())) {
            throw new Validation.Rejected(
                    "user " + a.name() + " is not in group " + settings.group() + ", so not a platform user");
        }
    }

    private void ensureGroup() throws IOException {
        if (exec.run(List.of(Bin.GETENT, "group", settings.group())).code() == 2) {
            exec.check(List.of(Bin.GROUPADD, settings.group()));
        }
    }

    /**
     * Home 0700 (the control plane must not read it), workspace root {@code ~/oqto} 0700. Paths are derived
     * from the validated name; a symbolic link where the home should be is refused, not followed.
     */
    private void prepareHome(Account a) throws IOException {
        Path home = settings.homeBase().resolve(a.name());
        if (!a.home().equals(home) || !Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("home of " + a.name() + " is " + a.home() + ", expected a directory " + home);
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path workspace = home.resolve("oqto");
        if (!Files.exists(workspace, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(
                    workspace, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setAttribute(workspace, "unix:uid", a.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(workspace, "unix:gid", a.gid(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    private int freeUid() throws IOException {
        Set<Integer> used = new HashSet<>();
        for (String db : List.of("passwd", "group")) {
            for (String line : exec.check(List.of(Bin.GETENT, db)).split("\n", -1)) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[2].matches("\\d{1,10}")) {
                    used.add((int) Math.min(Integer.MAX_VALUE, Long.parseLong(f[2])));
                }
            }
        }
        // A home kept after its user was deleted still belongs to that uid: giving the uid to someone new would
        // give them the old user's files.
        if (Files.isDirectory(settings.homeBase())) {
            try (var homes = Files.list(settings.homeBase())) {
                for (Path home : homes.toList()) {
                    used.add((Integer) Files.getAttribute(home, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                }
            }
        }
        for (int uid = settings.uidMin(); uid <= settings.uidMax(); uid++) {
            if (!used.contains(uid)) {
                return uid;
            }
        }
        throw new IOException("no free uid left in " + settings.uidMin() + "-" + settings.uidMax());
    }
}

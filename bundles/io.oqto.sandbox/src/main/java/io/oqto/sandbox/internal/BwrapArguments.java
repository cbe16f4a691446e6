package io.oqto.sandbox.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The bubblewrap command for a profile. Order matters, later mounts win: the system read-only, then home
 * (read-only unless the profile allows {@code ~}), the writable places and the workspace, parents before
 * children, then
 * {@code deny_write} read-only again and {@code deny_read} hidden, and the workspace's {@code .oqto}
 * read-only last so an agent cannot rewrite its own sandbox policy.
 */
final class BwrapArguments {

    static final List<String> SYSTEM = List.of("/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc");

    private final Path home;
    private final Predicate<Path> exists;

    BwrapArguments(Path home, Predicate<Path> exists) {
        this.home = home;
        this.exists = exists;
    }

    static BwrapArguments forHome(Path home) {
        return new BwrapArguments(home, Files::exists);
    }

    List<String> build(String bwrap, Profile p, Path workspace, List<String> argv) {
        // Always a PID namespace of its own: when its first process dies (stopped, or the runner gone and
        // --die-with-parent firing) the kernel kills everything in it, so no descendant is left behind.
        // isolate_pid decides what the program sees in /proc: only its own processes, or the host's.
        List<String> a = new ArrayList<>(List.of(bwrap, "--die-with-parent", "--new-session", "--unshare-pid"));
        if (p.isolateNetwork()) {
            a.add("--unshare-net");
        }
        if (p.dropAllCaps()) {
            a.addAll(List.of("--cap-drop", "ALL"));
        }
        for (String s : SYSTEM) {
            bindIfExists(a, "--ro-bind", Path.of(s));
        }
        a.addAll(p.isolatePid() ? List.of("--proc", "/proc") : List.of("--bind", "/proc", "/proc"));
        a.addAll(List.of("--dev", "/dev"));
        if (!p.allowWrite().contains("/tmp")) {
            a.addAll(List.of("--tmpfs", "/tmp"));
        }
        // Parents before children: a writable /tmp bound after a read-only home under /tmp would hide it.
        List<String[]> binds = new ArrayList<>();
        binds.add(new String[] {p.allowWrite().contains("~") ? "--bind" : "--ro-bind", home.toString()});
        p.allowWrite().stream()
                .filter(w -> !w.equals("~"))
                .forEach(w -> binds.add(new String[] {"--bind", expand(w).toString()}));
        p.extraRoBind()
                .forEach(x -> binds.add(new String[] {"--ro-bind", expand(x).toString()}));
        p.extraRwBind().forEach(x -> binds.add(new String[] {"--bind", expand(x).toString()}));
        binds.add(new String[] {"--bind", workspace.toString()});
        binds.sort(Comparator.comparingInt(b -> Path.of(b[1]).getNameCount()));
        for (String[] b : binds) {
            if (b[1].equals(workspace.toString())) {
                a.addAll(List.of("--bind", b[1], b[1]));
            } else {
                bindIfExists(a, b[0], Path.of(b[1]));
            }
        }
        p.denyWrite().forEach(x -> bindIfExists(a, "--ro-bind", expand(x)));
        for (String d : p.denyRead()) {
            Path path = expand(d);
            if (exists.test(path)) {
                // An empty tmpfs hides a directory; /dev/null stands in for a file.
                a.addAll(
                        Files.isRegularFile(path)
                                ? List.of("--ro-bind", "/dev/null", path.toString())
                                : List.of("--tmpfs", path.toString()));
            }
        }
        bindIfExists(a, "--ro-bind", workspace.resolve(".oqto"));
        a.addAll(List.of("--chdir", workspace.toString(), "--"));
        a.addAll(argv);
        return a;
    }

    /** No restriction, only supervision: everything visible as on the host, in a PID namespace of its own. */
    static List<String> supervised(String bwrap, List<String> argv) {
        List<String> a =
                new ArrayList<>(List.of(bwrap, "--die-with-parent", "--unshare-pid", "--dev-bind", "/", "/", "--"));
        a.addAll(argv);
        return a;
    }

    private void bindIfExists(List<String> a, String kind, Path p) {
        if (exists.test(p)) {
            a.addAll(List.of(kind, p.toString(), p.toString()));
        }
    }

    Path expand(String p) {
        return p.equals("~") ? home : p.startsWith("~/") ? home.resolve(p.substring(2)) : Path.of(p);
    }
}

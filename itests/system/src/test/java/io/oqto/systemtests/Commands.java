package io.oqto.systemtests;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/** Small helpers: run a command to completion, bounded waits, log tails for failure messages. */
final class Commands {

    private Commands() {}

    record Result(int exit, String output) {}

    static Result run(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
        return run(new ProcessBuilder(cmd), timeout);
    }

    /** Runs {@code pb} (its directory and environment as set) to completion, output and errors together. */
    static Result run(ProcessBuilder pb, Duration timeout) throws IOException, InterruptedException {
        // Nothing on standard input: a program that reads it (bin/client -b) must see its end, not wait.
        Process p = pb.redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + pb.command());
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Stops processes and their descendants: SIGTERM, then SIGKILL for those still there after 15 s. */
    static void stop(List<Process> processes) throws InterruptedException {
        // The descendants are waited for too: a JVM under a launcher script outlives the script by a moment, and
        // a cleanup that runs in that moment (removing its user, its perf-data directory) would race it.
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (ProcessHandle h : all) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                System.err.println("process " + h.pid() + " did not end after SIGKILL: " + e);
            }
        }
    }

    /**
     * Ends every process still running as {@code user} and says which it found: each is a leak of the test that
     * started it, and one left running recreates files (a JVM's perf-data directory) that later tests check.
     */
    static void endProcessesOf(String user) throws IOException, InterruptedException {
        Result left = run(List.of("pgrep", "-a", "-u", user), Duration.ofSeconds(10));
        if (left.exit() != 0) {
            return;
        }
        System.err.println("processes of " + user + " left running, ending them:\n" + left.output());
        run(List.of("pkill", "-KILL", "-u", user), Duration.ofSeconds(10));
        waitFor("the processes of " + user + " to end", Duration.ofSeconds(15), () -> {
            try {
                return run(List.of("pgrep", "-u", user), Duration.ofSeconds(10)).exit() != 0;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        });
    }

    static Result runOk(List<String> cmd) throws IOException, InterruptedException {
        Result r = run(cmd, Duration.ofMinutes(1));
        if (r.exit() != 0) {
            throw new IOException(cmd + " failed (" + r.exit() + "): " + r.output());
        }
        return r;
    }

    static void waitFor(String what, Duration timeout, BooleanSupplier condition, Path... logs)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout.toSeconds() + " s waiting for " + what + tails(logs));
            }
            Thread.sleep(50);
        }
    }

    /** A throwaway system account for the tests: no home, no login shell. */
    static void createUser(String name) throws IOException, InterruptedException {
        runOk(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name));
    }

    static int uidOf(String name) throws IOException, InterruptedException {
        return Integer.parseInt(runOk(List.of("id", "-u", name)).output().strip());
    }

    /** Best-effort cleanup: removes the users that exist and the directory tree. */
    static void removeUsersAndTree(List<String> users, Path tree) throws IOException, InterruptedException {
        for (String u : users) {
            if (u != null) {
                run(List.of("userdel", u), Duration.ofSeconds(30));
            }
        }
        if (tree != null && Files.exists(tree)) {
            // Entries may vanish while this walks (logind removes /run/user/<uid> as the user goes): skip them.
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    file.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException e) {
                    dir.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    /** Removes a platform user's Linux account, processes, home and runtime directory, whatever is left of them. */
    static void removePlatformUser(String linux) throws Exception {
        if (run(List.of("id", "-u", linux), Duration.ofSeconds(10)).exit() == 0) {
            int uid = uidOf(linux);
            run(List.of("pkill", "-KILL", "-u", linux), Duration.ofSeconds(10));
            run(List.of("userdel", "-r", linux), Duration.ofSeconds(30));
            removeUsersAndTree(List.of(), Path.of("/run/user/" + uid));
        }
        removeUsersAndTree(List.of(), Path.of("/home", linux));
        // The user's JVMs other than the runner (the service doubles) leave their perf-data directory.
        removeUsersAndTree(List.of(), Path.of("/tmp/hsperfdata_" + linux));
    }

    /** Whether a process of {@code linuxUser} whose command line matches {@code pattern} runs (pgrep -f). */
    static boolean running(String linuxUser, String pattern) {
        try {
            return run(List.of("pgrep", "-u", linuxUser, "-f", pattern), Duration.ofSeconds(10))
                            .exit()
                    == 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The API token that oqto:token-create printed. */
    static String printedToken(Result r) {
        return r.output()
                .lines()
                .filter(l -> l.startsWith("oqto_"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no token printed: " + r.output()));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The owner's name of a file (not following a link), or "?" when it is gone. */
    static String ownerOf(Path p) {
        try {
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException e) {
            return "?";
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static String tails(Path... logs) {
        StringBuilder b = new StringBuilder();
        for (Path log : logs) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                b.append("\n--- ")
                        .append(log)
                        .append(" (last 30 lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            } catch (IOException e) {
                b.append("\n--- ").append(log).append(": ").append(e.getMessage());
            }
        }
        return b.toString();
    }

    /**
     * Waits for a runner's "runner listening" line. If it never comes the failure carries the JVM's threads
     * (jstack, as the user it runs as): a start that reached Karaf's start level 100 and then never booted
     * the features was seen a few times in hundreds of starts, and this is the evidence to find out why.
     */
    static void waitForRunner(Process launched, String linuxUser, Path log, Duration timeout)
            throws IOException, InterruptedException {
        try {
            waitFor("runner listening", timeout, () -> read(log).contains("runner listening"), log);
        } catch (AssertionError e) {
            StringBuilder threads = new StringBuilder();
            List<ProcessHandle> jvms = new ArrayList<>(launched.descendants().toList());
            jvms.add(launched.toHandle());
            for (ProcessHandle jvm : jvms) {
                if (jvm.info().command().orElse("").endsWith("java")) {
                    List<String> jstack = new ArrayList<>();
                    if (linuxUser != null) {
                        jstack.addAll(List.of("runuser", "-u", linuxUser, "--"));
                    }
                    jstack.addAll(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "jstack")
                                    .toString(),
                            Long.toString(jvm.pid())));
                    threads.append(run(jstack, Duration.ofSeconds(30)).output());
                }
            }
            throw new AssertionError(e.getMessage() + "\n--- jstack\n" + threads, e);
        }
    }
}

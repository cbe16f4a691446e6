package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerRequest;
import io.oqto.api.runner.RunnerStatus;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.processes.ListProcesses;
import io.oqto.api.runner.processes.ProcessInfo;
import io.oqto.api.runner.sessions.CreateSession;
import io.oqto.api.runner.sessions.ListSessions;
import io.oqto.api.runner.sessions.Session;
import io.oqto.api.runner.sessions.SessionList;
import io.oqto.api.runner.terminals.ListTerminals;
import io.oqto.api.runner.terminals.Terminal;
import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.UserProvisioning;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jspecify.annotations.Nullable;

/**
 * {@code oqto:upgrade-runners [--user NAME]}: restarts users' runners one at a time, so that each runs the runner
 * distribution installed now (runners have no console to upgrade through). For each it reports what ended with the
 * old runner — agent sessions, processes, terminals — and resumes the agent sessions whose history is kept. A user
 * whose restart fails is reported and the others go on; the command fails at the end if any did.
 */
@Service
@Command(
        scope = "oqto",
        name = "upgrade-runners",
        description = "Restart users' runners one at a time onto the installed distribution; resume their sessions")
public class UpgradeRunnersCommand extends OqtoCommand {

    @Reference
    UserProvisioning users;

    @Reference
    RunnerGateway runners;

    @Option(name = "--user", description = "Only this platform user (default: every active user)")
    @Completion(PlatformUserCompleter.class)
    @Nullable
    String user;

    @Override
    String auditTarget() {
        return user == null ? "every active user" : user;
    }

    @Override
    void run() {
        List<String> names = user != null
                ? List.of(users.find(user)
                        .orElseThrow(() -> new IllegalArgumentException("no such user: " + user))
                        .name())
                : users.list().stream()
                        .filter(u -> u.state() == PlatformUser.State.ACTIVE)
                        .map(PlatformUser::name)
                        .toList();
        int failed = 0;
        for (String name : names) {
            try {
                upgrade(name);
            } catch (RuntimeException e) {
                failed++;
                out.printf("%s: FAILED: %s%n", name, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + names.size() + " runner(s) not restarted (see above)");
        }
        out.printf("%d runner(s) restarted%n", names.size());
    }

    private void upgrade(String name) {
        RunnerStatus before = orNull(() -> runners.status(name));
        List<Session> sessions = live(name);
        List<String> ended = new ArrayList<>();
        sessions.forEach(s -> ended.add("session " + s.id()));
        ask(name, new ListProcesses(), l -> l.processes()).stream()
                .filter(ProcessInfo::running)
                .forEach(p -> ended.add("process " + p.name()));
        ask(name, new ListTerminals(), l -> l.terminals()).stream()
                .map(Terminal::id)
                .forEach(t -> ended.add("terminal " + t));

        users.restartServices(name);
        RunnerStatus after = runners.status(name);
        out.printf(
                "%s: runner restarted (pid %s -> %d, version %s -> %s)%n",
                name,
                before == null ? "none" : Long.toString(before.pid()),
                after.pid(),
                before == null ? "?" : before.version(),
                after.version());
        out.printf("  ended: %s%n", ended.isEmpty() ? "nothing" : String.join(", ", ended));

        List<String> resumed = new ArrayList<>();
        List<String> notResumed = new ArrayList<>();
        boolean history =
                after.history() != null && !"off".equals(after.history().store());
        for (Session s : sessions) {
            if (!history) {
                notResumed.add("session " + s.id() + " (no history kept)");
                continue;
            }
            try {
                runners.call(name, new CreateSession(null, null, null, null, s.id()));
                resumed.add("session " + s.id());
            } catch (RunnerErrorException e) {
                notResumed.add("session " + s.id() + " (" + e.getMessage() + ")");
            }
        }
        if (!resumed.isEmpty()) {
            out.printf("  resumed: %s%n", String.join(", ", resumed));
        }
        if (!notResumed.isEmpty()) {
            out.printf("  not resumed: %s%n", String.join(", ", notResumed));
        }
    }

    /** The agent sessions running in the user's runner (not earlier ones from history). */
    private List<Session> live(String name) {
        SessionList list = orNull(() -> runners.call(name, new ListSessions()));
        return list == null
                ? List.of()
                : list.sessions().stream()
                        .filter(s -> !Boolean.TRUE.equals(s.resumable()) && !"stopped".equals(s.state()))
                        .toList();
    }

    /** A listing the runner may not serve (its feature not installed) or cannot give (it is down): then none. */
    private <R, T> List<T> ask(String name, RunnerRequest<R> request, Function<R, List<T>> items) {
        R reply = orNull(() -> runners.call(name, request));
        return reply == null ? List.of() : items.apply(reply);
    }

    private static <T> @Nullable T orNull(java.util.function.Supplier<T> ask) {
        try {
            return ask.get();
        } catch (RunnerErrorException | RunnerUnavailableException e) {
            return null;
        }
    }
}

package io.oqto.shell.internal;

import io.oqto.api.audit.AuditContext;
import io.oqto.api.audit.AuditEvent;
import io.oqto.api.audit.AuditLog;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.users.ProvisioningException;
import java.io.PrintStream;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.jspecify.annotations.Nullable;

/**
 * What every {@code oqto:*} command shares, in the style of Karaf's own commands: {@link #run()} does the work,
 * output is printed (a returned value is not shown in non-interactive sessions, {@code bin/client -b}), and a
 * failure of the platform becomes one line for the operator — the console prints it as
 * "Error executing command: …".
 */
abstract class OqtoCommand implements Action {

    /** Where commands print; a field so tests can read it. */
    PrintStream out = System.out;

    /** The audit log, when it runs: a command that changes something writes a line to it. */
    @Reference(optional = true)
    @Nullable
    AuditLog audit;

    /** The console session, for the operator's name. */
    @Reference(optional = true)
    @Nullable
    Session session;

    /**
     * What this command changes — a user's name, a token's id, {@code user/process} — for its audit line; null for
     * commands that only look.
     */
    @Nullable
    String auditTarget() {
        return null;
    }

    @Override
    public final @Nullable Object execute() throws CommandException {
        try {
            String target = auditTarget();
            if (target == null) {
                run();
            } else {
                runAudited(target);
            }
            return null;
        } catch (RunnerErrorException e) {
            throw new CommandException("the runner refused (" + e.code().wire() + "): " + e.getMessage(), e);
        } catch (ProvisioningException e) {
            throw new CommandException(
                    e.kind() == ProvisioningException.Kind.FAILED
                            ? "failed at step " + e.step() + ": " + e.getMessage()
                                    + " (what this run created was undone)"
                            : e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            // Unreachable runners, unknown users, refused arguments: their message says it all. One without a
            // message is a fault: its class at least says which.
            throw new CommandException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /** The command's work. */
    abstract void run();

    /**
     * Runs a command that changes something as the operator, writing its audit line whatever the outcome; services
     * it calls (provisioning's steps) write theirs with the same actor and request id.
     */
    private void runAudited(String target) {
        String actor = "operator:" + operatorName();
        String id = AuditEvent.newRequestId();
        String action = "shell " + commandName();
        try (AuditContext.Scope scope = AuditContext.enter(new AuditContext.Who(actor, "operator", id, "console"))) {
            run();
            record(new AuditEvent(Instant.now(), actor, "operator", action, target, "ok", "", id, "console"));
        } catch (RuntimeException e) {
            record(new AuditEvent(
                    Instant.now(),
                    actor,
                    "operator",
                    action,
                    target,
                    "failed",
                    String.valueOf(e.getMessage()),
                    id,
                    "console"));
            throw e;
        }
    }

    private void record(AuditEvent event) {
        AuditLog log = audit;
        if (log != null) {
            log.record(event);
        }
    }

    /** Who is at the console: the session's user (Karaf sets USER from the login), else "console". */
    private String operatorName() {
        Object user = session == null ? null : session.get("USER");
        return user == null ? "console" : user.toString();
    }

    private String commandName() {
        Command c = getClass().getAnnotation(Command.class);
        return c == null ? getClass().getSimpleName() : c.scope() + ":" + c.name();
    }

    /** The user named on the command line, or the one running the control plane (single-user mode). */
    static String userOrSelf(String user) {
        return user == null ? System.getProperty("user.name") : user;
    }

    /** An empty cell for a missing value, instead of "null". */
    static Object blank(@Nullable Object o) {
        return o == null ? "" : o;
    }

    static ShellTable table(String... columns) {
        ShellTable table = new ShellTable();
        for (String c : columns) {
            table.column(c);
        }
        return table;
    }

    void print(ShellTable table) {
        table.print(out);
    }
}

package io.oqto.shell.internal;

import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.users.ProvisioningException;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
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

    @Override
    public final @Nullable Object execute() throws CommandException {
        try {
            run();
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

package io.oqto.shell.internal;

import org.apache.karaf.shell.support.table.ShellTable;

/** What several oqto:* commands share. */
final class CommandSupport {

    private CommandSupport() {
    }

    /** The user named on the command line, or the one running the control plane (single-user mode). */
    static String userOrSelf(String user) {
        return user == null ? System.getProperty("user.name") : user;
    }

    /** An empty cell for a missing value, instead of "null". */
    static Object blank(Object o) {
        return o == null ? "" : o;
    }

    static ShellTable table(String... columns) {
        ShellTable table = new ShellTable();
        for (String c : columns) {
            table.column(c);
        }
        return table;
    }
}

package io.oqto.usermgr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who runs a platform user's services ({@code eavs}, {@code hstry}, {@code mmry}, {@code oqto-runner}):
 * systemd's per-user manager with lingering, as the seed describes, or, where systemd is not PID 1
 * (containers, CI), this helper itself. Provisioning asks for the same things either way.
 */
interface ServiceManager extends AutoCloseable {

    /** {@code systemd} or {@code supervise}. */
    String name();

    /** Lingering: the user's services run without a login and come back after a reboot. */
    void setLinger(Account a, boolean enabled) throws IOException;

    /** Makes sure {@code /run/user/<uid>} exists, is the user's own and mode 0700. */
    void prepareRuntime(Account a) throws IOException;

    /** Starts what is not running, in dependency order; says what it started and what is missing. */
    Map<String, Object> start(Account a) throws IOException;

    /** Stops every service of the user, the runner first. */
    Map<String, Object> stop(Account a) throws IOException;

    /** Each service's state. */
    Map<String, Object> status(Account a) throws IOException;

    @Override
    void close();

    /** {@code auto}: systemd when it is PID 1 (it has created /run/systemd/system), else supervise. */
    static boolean systemdRunning() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }
}

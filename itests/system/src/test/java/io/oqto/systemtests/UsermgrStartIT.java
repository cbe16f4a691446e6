package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** bin/oqto-usermgr refuses to start, with the reason and a sysexits code, rather than run half-configured. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsermgrStartIT {

    private Path work;
    private Path bin;

    @BeforeAll
    void unpack() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "oqto-um-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        bin = Distribution.unpack("oqto.controlPlane.tarball", work.resolve("cp"))
                .home
                .resolve("bin/oqto-usermgr");
    }

    @AfterAll
    void clean() throws Exception {
        Commands.removeUsersAndTree(List.of(), work);
    }

    private Commands.Result usermgr(String config, String... args) throws Exception {
        Path file = Files.writeString(work.resolve("config.toml"), config);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--config", file.toString()));
        cmd.addAll(List.of(args));
        return Commands.run(cmd, Duration.ofMinutes(1));
    }

    @Test
    void aBrokenConfigurationIsNamedWithFileLineAndKey() throws Exception {
        Path file = work.resolve("config.toml");
        assertEquals(
                new Commands.Result(78, "oqto-usermgr: " + file + ":2:1: usermgr.socket: must be an absolute path\n"),
                usermgr("[usermgr]\nsocket = \"usermgr.sock\"\n"));
        assertEquals(
                new Commands.Result(
                        78,
                        "oqto-usermgr: " + file + ":2:1: usermgr.home: unknown key (known in [usermgr]: "
                                + "socket, group, uid_min, uid_max, shell, skeleton, home_base, linger_dir, service_manager, runner_command, "
                                + "runner_activation, runner_starts_at_once, hstry_command, eavs_command, mmry_command, command_timeout_ms, ready_timeout_ms)\n"),
                usermgr("[usermgr]\nhome = \"/root\"\n"));
        assertEquals(
                new Commands.Result(78, "oqto-usermgr: " + file + ": [usermgr] uid_min 5000 is above uid_max 4000\n"),
                usermgr("[usermgr]\nuid_min = 5000\nuid_max = 4000\n"));
        assertEquals(
                new Commands.Result(
                        78,
                        "oqto-usermgr: " + file + ": [usermgr] eavs_command: the program must be an absolute "
                                + "path, not eavs\n"),
                usermgr("[usermgr]\neavs_command = [\"eavs\", \"serve\"]\n"));
        assertEquals(
                new Commands.Result(
                        78,
                        "oqto-usermgr: the control plane's user nosuch-cp-user ([runner] control_plane_user) "
                                + "does not exist\n"),
                usermgr("[runner]\ncontrol_plane_user = \"nosuch-cp-user\"\n[usermgr]\nsocket = \""
                        + work.resolve("run/usermgr.sock") + "\"\n"));
    }

    @Test
    void itRunsAsRootOnlyAndChecksOnRequest() throws Exception {
        String good = "[usermgr]\nsocket = \"" + work.resolve("run/usermgr.sock") + "\"\n";
        assertEquals(new Commands.Result(0, work.resolve("config.toml") + ": ok\n"), usermgr(good, "--check"));
        Path file = Files.writeString(work.resolve("config.toml"), good);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Commands.Result asNobody = Commands.run(
                List.of("runuser", "-u", "nobody", "--", bin.toString(), "--config", file.toString()),
                Duration.ofMinutes(1));
        assertEquals(
                new Commands.Result(
                        77,
                        "oqto-usermgr: must run as root (it creates Linux users); the control plane talks to "
                                + "it over " + work.resolve("run/usermgr.sock") + "\n"),
                asNobody);
        assertEquals(
                new Commands.Result(
                        64,
                        "oqto-usermgr: unknown argument --socket (usage: oqto-usermgr [--config FILE] [--check])\n"),
                usermgr(good, "--socket"));
    }
}

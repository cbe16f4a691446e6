package io.oqto.usermgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account creation and removal against a scripted passwd/group database (the real commands need root and
 * change the machine; the system test runs those). What runs, with which arguments, and that a failure
 * after useradd removes the account again.
 */
class AccountsTest {

    @TempDir
    Path dir;

    private final int me = (int) uid();
    private final Map<String, String> passwd = new LinkedHashMap<>();
    private final Map<String, String> group = new LinkedHashMap<>();
    private final List<String> ran = new ArrayList<>();
    private Path homeBase;
    private Path skeleton;
    private boolean homeElsewhere;
    private Accounts accounts;

    private static long uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        homeBase = Files.createDirectories(dir.resolve("home"));
        skeleton = Files.createDirectories(dir.resolve("skel"));
        passwd.put("root", "root:x:0:0:root:/root:/bin/bash");
        passwd.put("taken", "taken:x:2000:2000::/home/taken:/bin/sh");
        group.put("root", "root:x:0:");
        group.put("g2001", "g2001:x:2001:");
        Settings settings = Settings.from(
                dir.resolve("config.toml"),
                Map.of(
                        "usermgr",
                        Map.of("home_base", homeBase.toString(), "skeleton", skeleton.toString()),
                        "runner",
                        Map.of(),
                        "routing",
                        Map.of()));
        accounts = new Accounts(settings, this::run);
    }

    /** getent, groupadd, useradd and userdel over the maps; useradd makes the home (elsewhere if asked to). */
    private Exec.Result run(List<String> argv) throws IOException {
        ran.add(String.join(" ", argv));
        switch (argv.get(0)) {
            case Bin.GETENT -> {
                Map<String, String> db = argv.get(1).equals("passwd") ? passwd : group;
                if (argv.size() == 2) {
                    return new Exec.Result(0, String.join("\n", db.values()) + "\n");
                }
                String line = db.get(argv.get(2));
                return line == null ? new Exec.Result(2, "") : new Exec.Result(0, line + "\n");
            }
            case Bin.GROUPADD -> group.put(argv.get(1), argv.get(1) + ":x:1500:");
            case Bin.USERADD -> {
                String name = argv.get(argv.size() - 1);
                String uid = argv.get(argv.indexOf("--uid") + 1);
                Path home =
                        homeElsewhere ? dir.resolve("elsewhere") : Path.of(argv.get(argv.indexOf("--home-dir") + 1));
                Files.createDirectories(home);
                passwd.put(name, name + ":x:" + uid + ":" + me + "::" + home + ":/bin/bash");
                group.computeIfPresent("oqto-users", (k, v) -> v + (v.endsWith(":") ? "" : ",") + name);
            }
            case Bin.USERDEL -> passwd.remove(argv.get(argv.size() - 1));
            default -> throw new AssertionError("unexpected " + argv);
        }
        return new Exec.Result(0, "");
    }

    @Test
    void aNewAccountGetsTheFirstFreeUidTheGroupsAndAPrivateHomeWithAWorkspace() throws Exception {
        Accounts.Created c =
                accounts.create(new Command.CreateUser("oqto_alice", null, "/bin/bash", "Oqto platform user alice"));
        assertTrue(c.created());
        assertEquals(2002, c.account().uid(), "2000 is a user's, 2001 a group's");
        assertTrue(ran.contains("/usr/sbin/groupadd oqto-users"), ran.toString());
        assertTrue(
                ran.contains(
                        "/usr/sbin/useradd --uid 2002 --user-group --groups oqto-users --shell /bin/bash --comment "
                                + "Oqto platform user alice --home-dir " + homeBase.resolve("oqto_alice")
                                + " --create-home --skel " + skeleton
                                + " oqto_alice"),
                ran.toString());
        Path home = homeBase.resolve("oqto_alice");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("oqto"))));

        ran.clear();
        Accounts.Created again =
                accounts.create(new Command.CreateUser("oqto_alice", null, "/bin/bash", "Oqto platform user alice"));
        assertFalse(again.created());
        assertTrue(ran.stream().noneMatch(r -> r.startsWith(Bin.USERADD)), "converged, not created again");
        Validation.Rejected other = assertThrows(
                Validation.Rejected.class,
                () -> accounts.create(new Command.CreateUser("oqto_alice", 2100, "/bin/bash", "x")));
        assertEquals("user oqto_alice exists with uid 2002, not 2100", other.getMessage());
    }

    @Test
    void aUidThatStillOwnsAKeptHomeIsNotGivenAgain() throws Exception {
        Path kept = Files.createDirectories(homeBase.resolve("oqto_gone"));
        Files.setAttribute(kept, "unix:uid", 2002);
        assertEquals(
                2003,
                accounts.create(new Command.CreateUser("oqto_alice", null, "/bin/bash", "x"))
                        .account()
                        .uid());
    }

    @Test
    void aFailureAfterUseraddRemovesTheAccountAgain() {
        homeElsewhere = true;
        IOException e = assertThrows(
                IOException.class,
                () -> accounts.create(
                        new Command.CreateUser("oqto_alice", null, "/bin/bash", "Oqto platform user alice")));
        assertEquals(
                "home of oqto_alice is " + dir.resolve("elsewhere") + ", expected a directory "
                        + homeBase.resolve("oqto_alice"),
                e.getMessage());
        assertEquals("/usr/sbin/userdel --remove oqto_alice", ran.get(ran.size() - 1));
        assertFalse(passwd.containsKey("oqto_alice"), "nothing half-created");
    }

    @Test
    void withoutTheSkeletonNothingIsCreated() throws Exception {
        Files.delete(skeleton);
        IOException e = assertThrows(
                IOException.class, () -> accounts.create(new Command.CreateUser("oqto_alice", null, "/bin/bash", "x")));
        assertEquals("the skeleton directory " + skeleton + " does not exist ([usermgr] skeleton)", e.getMessage());
        assertTrue(ran.stream().noneMatch(r -> r.startsWith(Bin.USERADD)));
    }

    @Test
    void accountsOutsideThePlatformGroupOrRangeAreNeverTouched() throws Exception {
        group.put("oqto-users", "oqto-users:x:1500:");
        passwd.put("oqto_mallory", "oqto_mallory:x:2500:2500::/home/oqto_mallory:/bin/bash");
        passwd.put("oqto_low", "oqto_low:x:1001:1001::/home/oqto_low:/bin/bash");
        assertEquals(
                "user oqto_mallory is not in group oqto-users, so not a platform user",
                assertThrows(Validation.Rejected.class, () -> accounts.delete("oqto_mallory", false))
                        .getMessage());
        assertEquals(
                "user oqto_low (uid 1001) is not a platform user",
                assertThrows(Validation.Rejected.class, () -> accounts.delete("oqto_low", false))
                        .getMessage());
        assertTrue(ran.stream().noneMatch(r -> r.startsWith(Bin.USERDEL)), ran.toString());
        assertFalse(accounts.delete("oqto_nobody", false), "deleting nobody is not an error");
    }
}

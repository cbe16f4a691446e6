package io.oqto.usermgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The helper's validation corpus: every hostile field rejected with the exact reason, good requests parsed. */
class CommandTest {

    private static final Validation V = new Validation("oqto_", 2000, 60000);

    private static Map<String, Object> createUser(String key, Object value) {
        Map<String, Object> args = new HashMap<>(Map.of(
                "username", "oqto_alice", "uid", 2001, "shell", "/bin/bash", "comment", "Oqto platform user alice"));
        if (value == null) {
            args.remove(key);
        } else {
            args.put(key, value);
        }
        return Map.of("cmd", "create-user", "args", args);
    }

    @Test
    void aGoodRequestIsParsed() throws Exception {
        assertEquals(
                new Command.CreateUser("oqto_alice", 2001, "/bin/bash", "Oqto platform user alice"),
                Command.parse(createUser("uid", 2001), V));
        assertEquals(
                new Command.DeleteUser("oqto_bob-2", true),
                Command.parse(
                        Map.of("cmd", "delete-user", "args", Map.of("username", "oqto_bob-2", "keep_home", true)), V));
        assertEquals(new Command.Ping(), Command.parse(Map.of("cmd", "ping", "args", Map.of()), V));
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of(
                        createUser("username", "root"),
                        "username \"root\" must start with oqto_ and have a name after it"),
                Arguments.of(
                        createUser("username", "oqto_"),
                        "username \"oqto_\" must start with oqto_ and have a name after it"),
                Arguments.of(
                        createUser("username", "alice"),
                        "username \"alice\" must start with oqto_ and have a name after it"),
                Arguments.of(
                        createUser("username", "oqto_a;rm -rf /"),
                        "username \"oqto_a;rm -rf /\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"),
                Arguments.of(
                        createUser("username", "oqto_$(id)"),
                        "username \"oqto_$(id)\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"),
                Arguments.of(
                        createUser("username", "oqto_../etc"),
                        "username \"oqto_../etc\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"),
                Arguments.of(
                        createUser("username", "oqto_a/b"),
                        "username \"oqto_a/b\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"),
                Arguments.of(
                        createUser("username", "oqto_Alice"),
                        "username \"oqto_Alice\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"),
                Arguments.of(
                        createUser("username", "oqto_-x"),
                        "username \"oqto_-x\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"),
                Arguments.of(
                        createUser("username", "oqto_a\nroot"),
                        "username \"oqto_a\\u000aroot\" may contain only a-z, 0-9, _ and - after oqto_ (and start with a letter or digit)"),
                Arguments.of(createUser("username", "oqto_a\0"), "username may not contain NUL"),
                Arguments.of(createUser("username", "oqto_" + "a".repeat(40)), "username must be 1-32 characters"),
                Arguments.of(createUser("username", ""), "username must be 1-32 characters"),
                Arguments.of(createUser("username", 7), "username must be a string"),
                Arguments.of(createUser("uid", 0), "uid 0 is outside 2000-60000"),
                Arguments.of(createUser("uid", 1999), "uid 1999 is outside 2000-60000"),
                Arguments.of(createUser("uid", 60001), "uid 60001 is outside 2000-60000"),
                Arguments.of(createUser("uid", -1), "uid -1 is outside 2000-60000"),
                Arguments.of(createUser("uid", 2000.5), "uid must be a whole number"),
                Arguments.of(createUser("uid", "2001"), "uid must be a whole number"),
                Arguments.of(
                        createUser("shell", "/bin/bash -c id"),
                        "shell \"/bin/bash -c id\" is not one of " + Validation.SHELLS),
                Arguments.of(
                        createUser("shell", "/tmp/evil"), "shell \"/tmp/evil\" is not one of " + Validation.SHELLS),
                Arguments.of(createUser("shell", "bash"), "shell \"bash\" is not one of " + Validation.SHELLS),
                Arguments.of(
                        createUser("comment", "x:0:0:root"),
                        "comment may not contain ':', ',', '=' or control characters"),
                Arguments.of(
                        createUser("comment", "a\nb"), "comment may not contain ':', ',', '=' or control characters"),
                Arguments.of(createUser("comment", "c".repeat(300)), "comment must be 1-256 characters"),
                Arguments.of(createUser("uid", null), "missing argument \"uid\""),
                Arguments.of(
                        createUser("home", "/root"),
                        "unknown argument \"home\" (this command takes [comment, shell, uid, username])"),
                Arguments.of(
                        Map.of("cmd", "run", "args", Map.of()),
                        "unknown command run (known: create-user, delete-user, set-linger, prepare-runtime, start-services, stop-services, service-status, write-eavs-config, write-mmry-config, ping)"),
                Arguments.of(Map.of("cmd", "create-user"), "missing argument \"args\""),
                Arguments.of(
                        Map.of("cmd", "ping", "args", Map.of(), "sudo", true),
                        "unknown argument \"sudo\" (this command takes [args, cmd])"),
                Arguments.of(Map.of("cmd", 1, "args", Map.of()), "cmd must be a string"),
                Arguments.of(
                        Map.of("cmd", "delete-user", "args", Map.of("username", "oqto_a", "keep_home", "yes")),
                        "keep_home must be true or false"),
                Arguments.of(
                        Map.of("cmd", "delete-user", "args", Map.of("username", "root", "keep_home", false)),
                        "username \"root\" must start with oqto_ and have a name after it"));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void everyHostileFieldIsRejectedWithItsReason(Map<?, ?> request, String reason) {
        assertEquals(
                reason,
                assertThrows(Validation.Rejected.class, () -> Command.parse(request, V))
                        .getMessage());
    }

    @Test
    void reservedNamesStayReservedWhateverThePrefix() {
        Validation bare = new Validation("", 2000, 60000);
        assertEquals(
                "username \"root\" is reserved",
                assertThrows(Validation.Rejected.class, () -> bare.linuxUser("root"))
                        .getMessage());
    }
}

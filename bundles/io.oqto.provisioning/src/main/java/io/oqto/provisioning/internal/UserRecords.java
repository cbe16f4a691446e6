package io.oqto.provisioning.internal;

import io.oqto.api.auth.Role;
import io.oqto.api.unix.PrivateFiles;
import io.oqto.api.users.PlatformUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The platform users, one line each in {@code <state_dir>/users} (mode 0600, replaced atomically):
 * {@code name role state uid linux-user created-epoch-seconds email}, separated by single spaces. Every
 * field is validated before it is stored, so none contains a space or a line break.
 */
final class UserRecords {

    private final Path file;
    private final Map<String, PlatformUser> users = new TreeMap<>();

    UserRecords(Path file) throws IOException {
        this.file = file;
        for (PlatformUser u : PrivateFiles.readEntries(file, "user", UserRecords::parse)) {
            users.put(u.name(), u);
        }
    }

    synchronized Optional<PlatformUser> find(String name) {
        return Optional.ofNullable(users.get(name));
    }

    synchronized List<PlatformUser> list() {
        return List.copyOf(users.values());
    }

    synchronized void put(PlatformUser u) {
        PlatformUser before = users.put(u.name(), u);
        try {
            save();
        } catch (IOException e) {
            if (before == null) {
                users.remove(u.name());
            } else {
                users.put(u.name(), before);
            }
            throw new UncheckedIOException("cannot store users in " + file, e);
        }
    }

    synchronized void remove(String name) {
        PlatformUser before = users.remove(name);
        if (before == null) {
            return;
        }
        try {
            save();
        } catch (IOException e) {
            users.put(name, before);
            throw new UncheckedIOException("cannot store users in " + file, e);
        }
    }

    private void save() throws IOException {
        PrivateFiles.replace(
                file,
                users.values().stream()
                        .map(u -> String.join(
                                " ",
                                u.name(),
                                u.role().wireName(),
                                u.state().wireName(),
                                Integer.toString(u.uid()),
                                u.linuxUser(),
                                Long.toString(u.created().getEpochSecond()),
                                u.email()))
                        .toList());
    }

    private static PlatformUser parse(String line) {
        String[] f = line.strip().split(" ", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("expected 7 fields, got " + f.length);
        }
        return new PlatformUser(
                f[0],
                f[6],
                named(Role.class, f[1], "role"),
                f[4],
                Math.toIntExact(number(f[3], "uid")),
                named(PlatformUser.State.class, f[2], "state"),
                Instant.ofEpochSecond(number(f[5], "creation time")));
    }

    private static <E extends Enum<E>> E named(Class<E> type, String value, String what) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + what + " " + value);
        }
    }

    private static long number(String value, String what) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " " + value + " is not a number");
        }
    }
}

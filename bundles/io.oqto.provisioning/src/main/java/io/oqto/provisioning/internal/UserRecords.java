package io.oqto.provisioning.internal;

import io.oqto.api.auth.Role;
import io.oqto.api.users.PlatformUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
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
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    try {
                        PlatformUser u = parse(lines.get(i));
                        users.put(u.name(), u);
                    } catch (RuntimeException e) {
                        throw new IOException(file + ":" + (i + 1) + ": unreadable user entry: " + e.getMessage());
                    }
                }
            }
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
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        List<String> lines = new ArrayList<>();
        users.values().forEach(u -> lines.add(String.join(" ", u.name(), u.role().wireName(), u.state().wireName(),
                Integer.toString(u.uid()), u.linuxUser(), Long.toString(u.created().getEpochSecond()), u.email())));
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static PlatformUser parse(String line) {
        String[] f = line.strip().split(" ");
        if (f.length != 7) {
            throw new IllegalArgumentException("expected 7 fields, got " + f.length);
        }
        return new PlatformUser(f[0], f[6], named(Role.class, f[1], "role"), f[4], Math.toIntExact(number(f[3], "uid")),
                named(PlatformUser.State.class, f[2], "state"), Instant.ofEpochSecond(number(f[5], "creation time")));
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

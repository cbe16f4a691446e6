package io.oqto.eavs.internal;

import io.oqto.api.auth.PlatformUserNames;
import io.oqto.runner.spi.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Per-user mode: each user's eavs master key, made by the control plane and kept in
 * {@code <state_dir>/eavs/<user>.master-key} (0600, directory 0700): the control plane needs it to issue the
 * user's virtual key; the user has the same key in their own eavs's env file.
 */
final class MasterKeys {

    private static final String SUFFIX = ".master-key";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path dir;

    MasterKeys(Path dir) {
        this.dir = dir;
    }

    synchronized String getOrCreate(String owner) {
        Optional<String> held = find(owner);
        if (held.isPresent()) {
            return held.get();
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String key = "oqto-eavs-" + java.util.HexFormat.of().formatHex(bytes);
        try {
            PrivateFiles.write(file(owner), key + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the eavs master key of " + owner + " in " + dir, e);
        }
        return key;
    }

    Optional<String> find(String owner) {
        try {
            String key = Files.readString(file(owner)).strip();
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the eavs master key of " + owner, e);
        }
    }

    synchronized void forget(String owner) {
        try {
            Files.deleteIfExists(file(owner));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the eavs master key of " + owner, e);
        }
    }

    /** The users that have a master key. */
    List<String> owners() {
        List<String> owners = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return owners;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .sorted()
                    .forEach(owners::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return owners;
    }

    private Path file(String owner) {
        if (!PlatformUserNames.isValid(owner)) {
            throw new IllegalArgumentException("not a platform user name: " + owner);
        }
        return dir.resolve(owner + SUFFIX);
    }
}

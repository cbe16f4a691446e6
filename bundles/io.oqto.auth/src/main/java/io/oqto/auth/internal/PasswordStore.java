package io.oqto.auth.internal;

import io.oqto.api.auth.PasswordException;
import io.oqto.api.auth.Passwords;
import io.oqto.api.unix.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Passwords as Argon2id hashes ({@link Argon2Hashes}) in one file, mode 0600, a line {@code <user> <phc>} each. The
 * policy is NIST SP 800-63B's: at least 8 characters, long passphrases welcome (up to 1024), no composition rules,
 * and not the user's own name.
 */
final class PasswordStore implements Passwords {

    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 1024;

    private final Path file;
    private final Map<String, String> hashes = new TreeMap<>();

    PasswordStore(Path file) throws IOException {
        this.file = file;
        for (String[] entry : PrivateFiles.readEntries(file, "password", PasswordStore::parse)) {
            hashes.put(entry[0], entry[1]);
        }
    }

    private static String[] parse(String line) {
        String[] f = line.trim().split(" ", -1);
        if (f.length != 2 || !f[1].startsWith("$argon2id$")) {
            throw new IllegalArgumentException("expected <user> <argon2id hash>");
        }
        return f;
    }

    @Override
    public void set(String user, char[] password) {
        int length = Character.codePointCount(password, 0, password.length);
        if (length < MIN_LENGTH) {
            throw new PasswordException("a password needs at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            throw new PasswordException("a password may have at most " + MAX_LENGTH + " characters");
        }
        if (new String(password).strip().equalsIgnoreCase(user)) {
            throw new PasswordException("a password may not be the user's name");
        }
        String hash = Argon2Hashes.hash(password); // slow on purpose: outside the lock
        synchronized (this) {
            String previous = hashes.put(user, hash);
            try {
                save();
            } catch (IOException e) {
                if (previous == null) {
                    hashes.remove(user);
                } else {
                    hashes.put(user, previous);
                }
                throw new UncheckedIOException("cannot store the password in " + file, e);
            }
        }
    }

    @Override
    public boolean verify(String user, char[] password) {
        String hash;
        synchronized (this) {
            hash = hashes.get(user);
        }
        if (hash == null) {
            // As slow as a real check, so that timing does not tell which users exist.
            Argon2Hashes.verify(password, DUMMY);
            return false;
        }
        return Argon2Hashes.verify(password, hash);
    }

    @Override
    public synchronized boolean isSet(String user) {
        return hashes.containsKey(user);
    }

    @Override
    public synchronized boolean remove(String user) {
        String previous = hashes.remove(user);
        if (previous == null) {
            return false;
        }
        try {
            save();
        } catch (IOException e) {
            hashes.put(user, previous);
            throw new UncheckedIOException("cannot store passwords in " + file, e);
        }
        return true;
    }

    private void save() throws IOException {
        PrivateFiles.replace(
                file,
                hashes.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .toList());
    }

    private static final String DUMMY = Argon2Hashes.hash("not anyone's password".toCharArray());
}

package io.oqto.api.unix;

/**
 * A local account as the name service reports it.
 *
 * @param name login name
 * @param uid numeric user id
 * @param gid primary group id
 * @param home home directory
 */
public record UnixAccount(String name, int uid, int gid, String home) {}

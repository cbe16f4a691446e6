package io.oqto.api.runner.files;

/**
 * One entry of a {@link DirectoryListing}.
 *
 * @param kind {@code file}, {@code directory}, {@code symlink} (not followed) or {@code other}
 */
public record DirectoryEntry(String name, String kind, long size, long modifiedMs) {}

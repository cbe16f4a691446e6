package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import org.jspecify.annotations.Nullable;

/** The entries of a directory, sorted by name; dot files only with {@code includeHidden}. */
@RunnerMessage("list_directory")
public record ListDirectory(String path, @Nullable Boolean includeHidden) implements RunnerRequest<DirectoryListing> {}

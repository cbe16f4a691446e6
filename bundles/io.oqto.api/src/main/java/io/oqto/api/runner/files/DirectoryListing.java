package io.oqto.api.runner.files;

import io.oqto.api.runner.RunnerMessage;
import java.util.List;

/** Reply to {@link ListDirectory}. */
@RunnerMessage("directory_listing")
public record DirectoryListing(String path, List<DirectoryEntry> entries) {}

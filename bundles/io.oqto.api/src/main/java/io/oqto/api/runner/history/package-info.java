/**
 * A user's chat history through their runner (protocol 1.5): conversations kept by hstry or the embedded store,
 * listed, read page by page, searched, renamed and deleted. A conversation's id is its agent session's id.
 */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.api.runner.history;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

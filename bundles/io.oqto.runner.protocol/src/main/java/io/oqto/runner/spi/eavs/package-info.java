/**
 * How the agent sessions reach LLMs through eavs: the eavs bundle writes pi's models.json from eavs's providers
 * with the user's virtual key, and checks a session's provider and model against them.
 */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.runner.spi.eavs;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

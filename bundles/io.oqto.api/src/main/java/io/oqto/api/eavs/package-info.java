/**
 * The control plane's eavs connector: each platform user's virtual key for the LLM proxy, their usage and
 * cost, and eavs's state (services-spec §2). Runners reach eavs on their own side (the runner SPI).
 */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.api.eavs;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

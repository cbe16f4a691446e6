/**
 * The runner protocol (v1, minor 2): newline-delimited JSON frames between the control plane and a user's runner.
 * See docs/runner-protocol.md. Both sides use this codec, so framing rules live in one place.
 */
@Export
@Version("2.1.0")
@NullMarked
package io.oqto.runner.protocol;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

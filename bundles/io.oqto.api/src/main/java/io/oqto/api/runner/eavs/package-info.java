/**
 * A user's eavs key on the runner's side (protocol 1.4): the control plane hands the runner the key it issued,
 * the runner keeps it in a file only its user can read and puts it in pi's models.json.
 */
@Export
@Version("1.0.0")
@NullMarked
package io.oqto.api.runner.eavs;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/** Platform users and their provisioning (multi-user mode): Linux account, services, runner, first token. */
@Export
@Version("1.1.0")
@NullMarked
package io.oqto.api.users;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

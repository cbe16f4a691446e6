/** Sandbox policy: sandbox.toml (strict), built-in profiles, workspace tightening, the bubblewrap argv. */
@NullMarked
package io.oqto.sandbox.internal;

import org.jspecify.annotations.NullMarked;

/** Sandbox policy: sandbox.toml (strict), built-in profiles, workspace tightening, the bubblewrap argv. */
package io.oqto.sandbox.internal;

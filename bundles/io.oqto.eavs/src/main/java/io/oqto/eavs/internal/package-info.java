/**
 * The eavs connector: the control plane's admin client (keys, usage, status) and the runner's side (the user's
 * key in a file of its own, pi's models.json from eavs's providers).
 */
@NullMarked
package io.oqto.eavs.internal;

import org.jspecify.annotations.NullMarked;

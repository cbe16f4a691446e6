/** Bearer API tokens: hashed storage in the state directory and the single-user first admin token. */
@NullMarked
package io.oqto.auth.internal;

import org.jspecify.annotations.NullMarked;

/**
 * Credentials: bearer API tokens, browser sessions and passwords, hashed in the state directory; the single-user
 * first admin token and login link.
 */
@NullMarked
package io.oqto.auth.internal;

import org.jspecify.annotations.NullMarked;

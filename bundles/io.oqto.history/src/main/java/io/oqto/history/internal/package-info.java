/** The embedded history store: one SQLite database per user, with hstry's rules and full-text search. */
@NullMarked
package io.oqto.history.internal;

import org.jspecify.annotations.NullMarked;

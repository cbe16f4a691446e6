/** Null-marked: a type is non-null unless annotated {@code @Nullable}. */
@NullMarked
package io.oqto.bench;

import org.jspecify.annotations.NullMarked;

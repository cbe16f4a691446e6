/** Null-marked: a type is non-null unless annotated {@code @Nullable}. */
@NullMarked
package io.oqto.files;

import org.jspecify.annotations.NullMarked;

/** The runner's log line formats for java.util.logging. */
@NullMarked
package io.oqto.runner.logging;

import org.jspecify.annotations.NullMarked;

/**
 * {@code oqto-usermgr}, the root helper (issue 5, in progress): so far the allow-list of commands and the
 * validation of every field; the socket daemon and the commands' execution come next.
 */
@NullMarked
package io.oqto.usermgr;

import org.jspecify.annotations.NullMarked;

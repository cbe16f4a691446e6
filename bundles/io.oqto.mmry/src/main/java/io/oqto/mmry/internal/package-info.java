/** The mmry connector: a user's memories in their mmry daemon, over its HTTP API (services-spec §3.1). */
@NullMarked
package io.oqto.mmry.internal;

import org.jspecify.annotations.NullMarked;

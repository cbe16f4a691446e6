/** Agent sessions: pi in RPC mode per session, its events translated, sequenced and fanned out. */
@NullMarked
package io.oqto.agent.internal;

import org.jspecify.annotations.NullMarked;

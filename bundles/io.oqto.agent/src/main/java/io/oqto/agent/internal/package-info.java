/** Agent sessions: pi in RPC mode per session, its events translated, sequenced and fanned out. */
package io.oqto.agent.internal;

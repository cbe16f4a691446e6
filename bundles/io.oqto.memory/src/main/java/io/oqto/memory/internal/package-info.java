/** The embedded memory store: mmry's append-only JSONL ledger per workspace, its active view and search. */
@NullMarked
package io.oqto.memory.internal;

import org.jspecify.annotations.NullMarked;

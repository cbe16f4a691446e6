/**
 * A test double of eavs, the per-user LLM proxy, written from its wire facts
 * ({@code ../shared/reference/services-spec.md} §2): admin key API, usage, provider details, and a proxy route.
 */
@NullMarked
package io.oqto.testing.eavs;

import org.jspecify.annotations.NullMarked;

package io.oqto.api.eavs;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * eavs as the control plane sees it.
 *
 * @param reachable whether {@code /health} answered 200
 * @param problem why not, or why the admin API refused (null when all is well)
 * @param providers eavs's provider names ({@code /providers})
 * @param totalKeys keys eavs holds ({@code /admin/keys/stats}); -1 when the admin API did not answer
 * @param enabledKeys of them enabled; -1 likewise
 */
public record EavsStatus(
        String baseUrl,
        boolean reachable,
        @Nullable String problem,
        List<String> providers,
        long totalKeys,
        long enabledKeys) {}

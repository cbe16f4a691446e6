package io.oqto.config.internal;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** An in-memory Configuration Admin: what was published, and how many updates changed something. */
final class FakeConfigAdmin {

    final Map<String, Dictionary<String, Object>> published = new ConcurrentHashMap<>();
    final AtomicInteger changes = new AtomicInteger();

    ConfigurationAdmin admin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class}, (p, m, args) -> {
                    if (m.getName().equals("getConfiguration")) {
                        return configuration((String) args[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private Configuration configuration(String pid) {
        return (Configuration) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Configuration.class}, (p, m, args) -> {
                    return switch (m.getName()) {
                        case "getProperties" -> {
                            Dictionary<String, Object> d = published.get(pid);
                            yield d == null ? null : copy(d);
                        }
                        case "updateIfDifferent" -> {
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> next = (Dictionary<String, Object>) args[0];
                            Dictionary<String, Object> before = published.get(pid);
                            // By content, as Configuration Admin compares (a Dictionary has no value equality).
                            if (before != null && asMap(next).equals(asMap(before))) {
                                yield false;
                            }
                            published.put(pid, copy(next));
                            changes.incrementAndGet();
                            yield true;
                        }
                        case "getPid" -> pid;
                        default -> throw new UnsupportedOperationException(m.getName());
                    };
                });
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        return FrameworkUtil.asDictionary(asMap(d));
    }

    private static Map<String, Object> asMap(Dictionary<String, Object> d) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (var e = d.keys(); e.hasMoreElements(); ) {
            String k = e.nextElement();
            m.put(k, d.get(k));
        }
        return m;
    }
}

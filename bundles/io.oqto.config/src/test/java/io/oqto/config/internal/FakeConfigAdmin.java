package io.oqto.config.internal;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** An in-memory Configuration Admin: what was published, and how many updates changed something. */
final class FakeConfigAdmin {

    final Map<String, Dictionary<String, Object>> published = new ConcurrentHashMap<>();
    final AtomicInteger changes = new AtomicInteger();

    ConfigurationAdmin admin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (p, m, args) -> {
                    if (m.getName().equals("getConfiguration")) {
                        return configuration((String) args[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private Configuration configuration(String pid) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "getProperties":
                            Dictionary<String, Object> d = published.get(pid);
                            return d == null ? null : copy(d);
                        case "updateIfDifferent":
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> next = (Dictionary<String, Object>) args[0];
                            if (next.equals(published.get(pid))) {
                                return false;
                            }
                            published.put(pid, copy(next));
                            changes.incrementAndGet();
                            return true;
                        case "getPid":
                            return pid;
                        default:
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> h = new Hashtable<>();
        for (var e = d.keys(); e.hasMoreElements();) {
            String k = e.nextElement();
            h.put(k, d.get(k));
        }
        return h;
    }
}

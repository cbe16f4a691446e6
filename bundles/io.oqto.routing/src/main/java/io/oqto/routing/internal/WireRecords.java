package io.oqto.routing.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerEvent;
import io.oqto.api.runner.RunnerMessage;
import io.oqto.api.runner.RunnerRequest;
import io.oqto.runner.protocol.Frame;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The one place where the API's request, reply and event records become frames and back. A record's
 * {@link RunnerMessage} names its wire type; its components are the fields, {@code camelCase} on this side
 * and {@code snake_case} on the wire; a null component is a field left out. Nested records, lists and maps
 * are mapped the same way; a {@code Map} or {@code Object} component takes the JSON as it came.
 *
 * <p>A component annotated {@code @Nullable} may be left out by the runner; any other must be there. What a
 * runner sends that does not fit the record (a missing required field, a wrong type, an unexpected
 * reply type) is a runner bug: {@link ErrorCode#INTERNAL}, naming the field. Fields the record does not know
 * are ignored, as the protocol's versioning rules ask of clients.
 */
final class WireRecords {

    /** How one record class maps, worked out once. */
    private record Shape(
            Constructor<?> constructor,
            List<RecordComponent> components,
            List<String> wireNames,
            List<Boolean> optional) {}

    private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

    private WireRecords() {}

    /** The wire type of a request or message record. */
    static String typeOf(Class<?> record) {
        return message(record).value()[0];
    }

    /** The request's fields, for a frame of {@link #typeOf} its class. */
    static Map<String, Object> fields(Record request) {
        Shape shape = shape(request.getClass());
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < shape.components().size(); i++) {
            Object value = get(shape.components().get(i), request);
            if (value != null) {
                fields.put(shape.wireNames().get(i), toWire(value));
            }
        }
        return fields;
    }

    /** The reply record a request is answered with (worked out once per request class: every call asks). */
    @SuppressWarnings("unchecked")
    static <R> Class<R> replyType(RunnerRequest<R> request) {
        return (Class<R>) REPLY_TYPES.get(request.getClass());
    }

    private static final ClassValue<Class<?>> REPLY_TYPES = new ClassValue<>() {
        @Override
        protected Class<?> computeValue(Class<?> requestType) {
            for (Type t : requestType.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p
                        && p.getRawType() == RunnerRequest.class
                        && p.getActualTypeArguments()[0] instanceof Class<?> c) {
                    return c;
                }
            }
            throw new IllegalArgumentException(requestType.getName() + " does not name its reply type");
        }
    };

    /** A reply frame as the reply record; a frame of another type is a runner bug. */
    static <R> R reply(Frame frame, Class<R> type) {
        if (!Arrays.asList(message(type).value()).contains(frame.type())) {
            throw malformed("a reply of type \"" + frame.type() + "\" where "
                    + Arrays.toString(message(type).value()) + " was expected");
        }
        return read(frame.fields(), type, frame.type());
    }

    /** An event frame as one of the subscribing request's event records. */
    static RunnerEvent event(Frame frame, Class<?> subscribingRequest) {
        for (Class<? extends RunnerEvent> e : message(subscribingRequest).events()) {
            if (message(e).value()[0].equals(frame.type())) {
                return read(frame.fields(), e, frame.type());
            }
        }
        throw malformed(
                "an event of type \"" + frame.type() + "\" on a " + typeOf(subscribingRequest) + " subscription");
    }

    /** camelCase to snake_case: {@code dataBase64} is {@code data_base64}. */
    static String wireName(String component) {
        StringBuilder b = new StringBuilder(component.length() + 4);
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (Character.isUpperCase(c)) {
                b.append('_').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static RunnerMessage message(Class<?> type) {
        RunnerMessage m = type.getAnnotation(RunnerMessage.class);
        if (m == null) {
            throw new IllegalArgumentException(type.getName() + " is not annotated with @RunnerMessage");
        }
        return m;
    }

    private static Shape shape(Class<?> type) {
        return SHAPES.computeIfAbsent(type, t -> {
            if (!t.isRecord()) {
                throw new IllegalArgumentException(t.getName() + " is not a record");
            }
            List<RecordComponent> components = List.of(t.getRecordComponents());
            Class<?>[] types = components.stream().map(RecordComponent::getType).toArray(Class<?>[]::new);
            try {
                return new Shape(
                        t.getDeclaredConstructor(types),
                        components,
                        components.stream().map(c -> wireName(c.getName())).toList(),
                        components.stream()
                                .map(c -> c.getAnnotatedType().isAnnotationPresent(Nullable.class))
                                .toList());
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(t.getName() + " has no canonical constructor", e);
            }
        });
    }

    private static Object get(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c, e);
        }
    }

    private static Object toWire(Object value) {
        if (value instanceof Record r) {
            return fields(r);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof List<?> l) {
            return l.stream().map(WireRecords::toWire).toList();
        }
        return value;
    }

    private static <T> T read(Map<String, Object> fields, Class<T> type, String where) {
        Shape shape = shape(type);
        Object[] args = new Object[shape.components().size()];
        for (int i = 0; i < args.length; i++) {
            RecordComponent c = shape.components().get(i);
            String name = shape.wireNames().get(i);
            Object value = fields.get(name);
            if (value == null && !shape.optional().get(i)) {
                throw malformed(where + "." + name + " is missing");
            }
            args[i] = convert(value, c.getGenericType(), where + "." + name);
        }
        try {
            return type.cast(shape.constructor().newInstance(args));
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot make a " + type.getName(), e);
        }
    }

    private static @Nullable Object convert(@Nullable Object v, Type type, String where) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (v == null) {
            if (raw.isPrimitive()) {
                throw malformed(where + " is missing");
            }
            return null;
        }
        if (raw == Object.class || (raw == Map.class && v instanceof Map)) {
            return v;
        }
        if (raw == String.class && v instanceof String) {
            return v;
        }
        if ((raw == boolean.class || raw == Boolean.class) && v instanceof Boolean) {
            return v;
        }
        if (v instanceof Number n && n.doubleValue() == n.longValue()) {
            if (raw == long.class || raw == Long.class) {
                return n.longValue();
            }
            if ((raw == int.class || raw == Integer.class) && n.longValue() == n.intValue()) {
                return n.intValue();
            }
        }
        if ((raw == double.class || raw == Double.class) && v instanceof Number n) {
            return n.doubleValue(); // money and the like: any JSON number (0 comes as a whole number)
        }
        if (raw == List.class && v instanceof List<?> l && type instanceof ParameterizedType p) {
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(convert(l.get(i), p.getActualTypeArguments()[0], where + "[" + i + "]"));
            }
            return out;
        }
        if (raw.isRecord() && v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = (Map<String, Object>) m;
            return read(nested, raw, where);
        }
        throw malformed(where + " is " + v.getClass().getSimpleName() + ", not " + raw.getSimpleName());
    }

    private static RunnerErrorException malformed(String what) {
        return new RunnerErrorException(ErrorCode.INTERNAL, "the runner sent " + what);
    }
}

package io.checkout.support.axon;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Axon's Jackson serializer, remembering the class of each stored type name it has found. Axon's asks Jackson's type
 * factory for the class at every event and metadata it reads, and that asks the class loader each time
 * ({@code Class.forName}): 0.9% of the CPU under load (docs/performance.md). A name without a class is left to
 * Axon's serializer, which answers {@link UnknownSerializedType} (and remembers such names itself).
 */
final class KnownClassesJacksonSerializer extends JacksonSerializer {

    private final Map<String, Class<?>> known = new ConcurrentHashMap<>();

    KnownClassesJacksonSerializer(JacksonSerializer.Builder builder) {
        super(builder);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        String name = resolveClassName(type);
        Class<?> found = known.get(name);
        if (found != null) {
            return found;
        }
        Class<?> resolved = super.classForType(type);
        if (resolved != UnknownSerializedType.class) {
            known.putIfAbsent(name, resolved);
        }
        return resolved;
    }
}

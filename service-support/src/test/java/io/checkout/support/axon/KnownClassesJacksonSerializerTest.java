package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.LRUMap;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/** The serializer asks Jackson (and so the class loader) for a stored type name's class once, then remembers it. */
class KnownClassesJacksonSerializerTest {

    record Payload(String text, int number) {
    }

    record Other(long id) {
    }

    /** Jackson's type factory, counting the class names it is asked for. */
    static final class CountingTypeFactory extends TypeFactory {
        final List<String> lookups = new ArrayList<>();

        CountingTypeFactory() {
            super(new LRUMap<>(16, 200));
        }

        @Override
        public Class<?> findClass(String className) throws ClassNotFoundException {
            lookups.add(className);
            return super.findClass(className);
        }
    }

    private final CountingTypeFactory types = new CountingTypeFactory();
    private final KnownClassesJacksonSerializer serializer = new KnownClassesJacksonSerializer(
            JacksonSerializer.builder().objectMapper(JsonMapper.builder().typeFactory(types).build()));

    @Test
    void aTypeNameIsLookedUpOnceAndEveryReadGetsItsClass() {
        SerializedObject<byte[]> stored = serializer.serialize(new Payload("lamp", 3), byte[].class);

        for (int i = 0; i < 3; i++) {
            Payload read = serializer.deserialize(stored);
            assertThat(read).isEqualTo(new Payload("lamp", 3));
        }

        assertThat(serializer.classForType(stored.getType())).isEqualTo(Payload.class);
        assertThat(types.lookups).containsExactly(Payload.class.getName());
    }

    /** Each name keeps its own class, each looked up once, however the reads of the two alternate. */
    @Test
    void eachTypeNameGetsItsOwnClass() {
        SerializedObject<byte[]> payload = serializer.serialize(new Payload("lamp", 3), byte[].class);
        SerializedObject<byte[]> other = serializer.serialize(new Other(7L), byte[].class);

        for (int i = 0; i < 3; i++) {
            assertThat(serializer.classForType(payload.getType())).isEqualTo(Payload.class);
            assertThat(serializer.classForType(other.getType())).isEqualTo(Other.class);
        }

        assertThat(types.lookups).containsExactly(Payload.class.getName(), Other.class.getName());
    }
}

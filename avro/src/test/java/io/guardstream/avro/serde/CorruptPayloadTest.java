package io.guardstream.avro.serde;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.guardstream.avro.Exchange;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.registry.SchemaRegistryClient;
import io.guardstream.testing.AvroFixtures;
import io.guardstream.testing.KafkaTestEnvironment;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaTestEnvironment.class)
class CorruptPayloadTest {

    private final SchemaRegistryClient registry =
            new RestSchemaRegistryClient(RegistryClientConfig.of(KafkaTestEnvironment.get().registryUrl()));
    private final AvroDeserializer<Exchange> deserializer = new AvroDeserializer<>(registry, true);
    private final String topic = AvroFixtures.uniqueTopic("corrupt");
    private byte[] valid;

    @BeforeEach
    void writeValidRecord() {
        valid = new AvroSerializer<Exchange>(registry, true).serialize(topic, AvroFixtures.exchange("ex-corrupt"));
    }

    @Test
    void shouldRejectAWrongMagicByte() {
        byte[] bytes = valid.clone();
        bytes[0] = 7;
        assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("0x07").hasMessageContaining("magic byte");
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        byte[] bytes = valid.clone();
        ByteBuffer.wrap(bytes).putInt(1, 987_654);
        assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id 987654");
    }

    @Test
    void shouldRejectATruncatedBody() {
        byte[] bytes = Arrays.copyOf(valid, valid.length / 2);
        assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void shouldRejectARecordShorterThanTheHeader() {
        assertThatThrownBy(() -> deserializer.deserialize(topic, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("shorter than the 5-byte");
    }

    @Test
    void shouldRejectTrailingGarbage() {
        byte[] bytes = Arrays.copyOf(valid, valid.length + 3);
        assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("trailing bytes");
    }
}

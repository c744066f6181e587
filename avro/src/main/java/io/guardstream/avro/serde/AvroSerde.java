package io.guardstream.avro.serde;

import java.util.Map;

import io.guardstream.avro.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** {@link AvroSerializer} and {@link AvroDeserializer} as one Kafka {@link Serde}, e.g. for Kafka Streams. */
public class AvroSerde<T extends GenericContainer> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public AvroSerde() {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>();
    }

    /** Shares one registry client; auto-registers schemas and reads generated classes. */
    public AvroSerde(SchemaRegistryClient registry) {
        this(registry, true);
    }

    public AvroSerde(SchemaRegistryClient registry, boolean autoRegister) {
        this.serializer = new AvroSerializer<>(registry, autoRegister);
        this.deserializer = new AvroDeserializer<>(registry, true);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}

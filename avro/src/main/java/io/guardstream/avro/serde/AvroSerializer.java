package io.guardstream.avro.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import io.guardstream.avro.registry.CachingSchemaRegistryClient;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.registry.SchemaRegistryClient;
import io.guardstream.avro.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated or generic) in the Confluent wire format. The writer schema is
 * registered under {@code <topic>-value} (or {@code -key}) on first use when {@code auto.register.schemas}
 * is true (the default); otherwise it must already be registered.
 *
 * <p>The first record of each schema calls the registry (blocking); later records use the cached id.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

    private CachingSchemaRegistryClient registry;
    private boolean autoRegister = true;
    private boolean isKey;

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public AvroSerializer() {
    }

    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = caching(registry);
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (registry == null) {
            SerdeConfig config = SerdeConfig.fromMap(configs);
            this.registry = new CachingSchemaRegistryClient(new RestSchemaRegistryClient(config.registry()));
            this.autoRegister = config.autoRegisterSchemas();
        }
    }

    /** Registers (or looks up) the schema for a topic ahead of time, so the first send does not block on HTTP. */
    public int prepare(String topic, Schema schema) {
        String subject = SerdeConfig.subject(topic, isKey);
        return autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = data.getSchema();
        int id;
        try {
            id = prepare(topic, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot get a schema id for " + schema.getFullName() + " on subject "
                    + SerdeConfig.subject(topic, isKey) + ": " + e.getMessage(), e);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
            WireFormat.writeHeader(header, id);
            out.write(header.array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(data).write(data, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<T> writerFor(T data) {
        if (data instanceof SpecificRecord) {
            return new SpecificDatumWriter<>(data.getSchema(), SpecificData.getForClass((Class<T>) data.getClass()));
        }
        return new GenericDatumWriter<>(data.getSchema());
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }

    static CachingSchemaRegistryClient caching(SchemaRegistryClient client) {
        return client instanceof CachingSchemaRegistryClient cached ? cached : new CachingSchemaRegistryClient(client);
    }
}

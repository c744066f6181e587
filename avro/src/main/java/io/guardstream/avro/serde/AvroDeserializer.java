package io.guardstream.avro.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.guardstream.avro.registry.CachingSchemaRegistryClient;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.registry.SchemaRegistryClient;
import io.guardstream.avro.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro. The writer schema is fetched by id from the registry (cached); with
 * {@code specific.avro.reader=true} (the default) a generated class of the same full name is the reader
 * schema, so records written with an older or newer schema resolve into this build's class. Any corrupt
 * input raises {@link SerializationException} naming the topic and the cause; it never returns a silent null.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private CachingSchemaRegistryClient registry;
    private boolean specificReader = true;
    private final Map<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public AvroDeserializer() {
        AvroTrust.ensureInstalled();
    }

    public AvroDeserializer(SchemaRegistryClient registry, boolean specificReader) {
        this();
        this.registry = AvroSerializer.caching(registry);
        this.specificReader = specificReader;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            SerdeConfig config = SerdeConfig.fromMap(configs);
            this.registry = new CachingSchemaRegistryClient(new RestSchemaRegistryClient(config.registry()));
            this.specificReader = config.specificAvroReader();
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int schemaId = WireFormat.readHeader(topic, buffer);
        DatumReader<T> reader = readersBySchemaId.computeIfAbsent(schemaId, id -> readerFor(topic, id));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null);
        try {
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("Record on topic " + topic + " with schema id " + schemaId
                        + " has trailing bytes after the Avro body: corrupt payload");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("Cannot decode record on topic " + topic + " with schema id " + schemaId
                    + " (truncated or corrupt Avro body): " + e, e);
        }
    }

    private DatumReader<T> readerFor(String topic, int schemaId) {
        Schema writer;
        try {
            writer = registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            String reason = e.isNotFound() ? "unknown schema id " + schemaId : "cannot fetch schema id " + schemaId;
            throw new SerializationException("Cannot read record on topic " + topic + ": " + reason + ": " + e.getMessage(), e);
        }
        if (!specificReader) {
            return new GenericDatumReader<>(writer);
        }
        SpecificData model = new SpecificData();
        Class<?> generated = model.getClass(writer);
        if (generated == null || writer.getType() != Schema.Type.RECORD) {
            return new GenericDatumReader<>(writer);
        }
        SpecificData classModel = SpecificData.getForClass(generated);
        Schema reader = classModel.getSchema(generated);
        return new SpecificDatumReader<>(writer, reader, classModel);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}

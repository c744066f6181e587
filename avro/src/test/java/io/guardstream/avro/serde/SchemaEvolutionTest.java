package io.guardstream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

import io.guardstream.avro.Exchange;
import io.guardstream.avro.registry.IncompatibleSchemaException;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.registry.SchemaRegistryClient;
import io.guardstream.testing.AvroFixtures;
import io.guardstream.testing.KafkaTestEnvironment;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Records written by an older producer (fewer fields) must still be readable by this build's classes. */
@ExtendWith(KafkaTestEnvironment.class)
class SchemaEvolutionTest {

    private final SchemaRegistryClient registry =
            new RestSchemaRegistryClient(RegistryClientConfig.of(KafkaTestEnvironment.get().registryUrl()));

    @Test
    void shouldReadOldBytesWithAnEvolvedReaderThatAddedFieldsWithDefaults() throws Exception {
        String topic = AvroFixtures.uniqueTopic("evolution");
        Schema current = Exchange.getClassSchema();
        Schema old = withoutFields(current, List.of("enforcement", "stream", "gatewayInstance"));
        int oldId = registry.register(topic + "-value", old);

        GenericRecord timings = new GenericData.Record(current.getField("timings").schema());
        timings.put("receivedAt", 1_700_000_000_000L);
        GenericRecord oldRecord = new GenericData.Record(old);
        oldRecord.put("exchangeId", "ex-old");
        oldRecord.put("tenantId", "acme");
        oldRecord.put("timings", timings);
        oldRecord.put("requestMessages", List.of());
        oldRecord.put("httpStatus", 200);
        byte[] oldBytes = confluentBytes(oldId, old, oldRecord);

        // the current schema is a BACKWARD-compatible successor of the old one
        assertThat(registry.isCompatible(topic + "-value", current)).isTrue();
        int currentId = registry.register(topic + "-value", current);
        assertThat(currentId).isNotEqualTo(oldId);

        Exchange read = new AvroDeserializer<Exchange>(registry, true).deserialize(topic, oldBytes);

        assertThat(read.getExchangeId()).isEqualTo("ex-old");
        assertThat(read.getTimings().getReceivedAt().toEpochMilli()).isEqualTo(1_700_000_000_000L);
        assertThat(read.getEnforcement()).isNull();
        assertThat(read.getStream()).isFalse();
        assertThat(read.getGatewayInstance()).isNull();
    }

    @Test
    void shouldRejectAnIncompatibleChangeWith409() {
        String subject = AvroFixtures.uniqueTopic("incompatible") + "-value";
        Schema v1 = new Schema.Parser().parse("""
                {"type":"record","name":"Probe","namespace":"io.guardstream.test","fields":[{"name":"a","type":"string"}]}""");
        Schema v2WithoutDefault = new Schema.Parser().parse("""
                {"type":"record","name":"Probe","namespace":"io.guardstream.test","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}""");
        registry.register(subject, v1);

        assertThat(registry.isCompatible(subject, v2WithoutDefault)).isFalse();
        assertThatThrownBy(() -> registry.register(subject, v2WithoutDefault))
                .isInstanceOf(IncompatibleSchemaException.class)
                .satisfies(e -> assertThat(((IncompatibleSchemaException) e).status()).isEqualTo(409));
    }

    private static Schema withoutFields(Schema schema, List<String> dropped) {
        List<Schema.Field> fields = schema.getFields().stream()
                .filter(f -> !dropped.contains(f.name()))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static byte[] confluentBytes(int id, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(5).put(WireFormat.MAGIC_BYTE).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}

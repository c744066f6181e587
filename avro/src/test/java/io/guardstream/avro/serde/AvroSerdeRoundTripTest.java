package io.guardstream.avro.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

import io.guardstream.avro.Alert;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.registry.SchemaRegistryClient;
import io.guardstream.testing.AvroFixtures;
import io.guardstream.testing.KafkaTestEnvironment;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaTestEnvironment.class)
class AvroSerdeRoundTripTest {

    private final SchemaRegistryClient registry =
            new RestSchemaRegistryClient(RegistryClientConfig.of(KafkaTestEnvironment.get().registryUrl()));

    @Test
    void shouldRoundTripEveryRecordTypeInConfluentWireFormat() {
        List<SpecificRecord> records = List.of(
                AvroFixtures.exchange("ex-1"), AvroFixtures.failedExchange("ex-2"), AvroFixtures.check("c-1"),
                AvroFixtures.verdict("v-1"), AvroFixtures.alert("a-1"));
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry, true);
        AvroDeserializer<Object> deserializer = new AvroDeserializer<>(registry, true);

        for (SpecificRecord record : records) {
            String topic = AvroFixtures.uniqueTopic("roundtrip-" + record.getSchema().getName());
            byte[] bytes = serializer.serialize(topic, record);

            ByteBuffer header = ByteBuffer.wrap(bytes);
            assertThat(header.get()).isEqualTo(WireFormat.MAGIC_BYTE);
            int id = header.getInt();
            assertThat(registry.latest(topic + "-value").id()).isEqualTo(id);
            assertThat(registry.schemaById(id)).isEqualTo(record.getSchema());

            Object decoded = deserializer.deserialize(topic, bytes);
            assertThat(decoded).isInstanceOf(record.getClass()).isEqualTo(record);
        }
    }

    @Test
    void shouldReuseTheSchemaIdAcrossRecordsAndTopicsOfTheSameType() {
        AvroSerializer<Exchange> serializer = new AvroSerializer<>(registry, true);
        String topicA = AvroFixtures.uniqueTopic("ids-a");
        String topicB = AvroFixtures.uniqueTopic("ids-b");
        int first = ByteBuffer.wrap(serializer.serialize(topicA, AvroFixtures.exchange("1"))).getInt(1);
        int second = ByteBuffer.wrap(serializer.serialize(topicA, AvroFixtures.exchange("2"))).getInt(1);
        int otherTopic = ByteBuffer.wrap(serializer.serialize(topicB, AvroFixtures.exchange("3"))).getInt(1);
        assertThat(second).isEqualTo(first);
        assertThat(otherTopic).isEqualTo(first);
        assertThat(registry.subjects()).contains(topicA + "-value", topicB + "-value");
    }

    @Test
    void shouldReadGenericRecordsWhenSpecificReaderIsOff() {
        String topic = AvroFixtures.uniqueTopic("generic");
        GuardVerdict verdict = AvroFixtures.verdict("v-generic");
        byte[] bytes = new AvroSerializer<GuardVerdict>(registry, true).serialize(topic, verdict);

        Object decoded = new AvroDeserializer<>(registry, false).deserialize(topic, bytes);

        assertThat(decoded).isInstanceOf(GenericRecord.class).isNotInstanceOf(GuardVerdict.class);
        GenericRecord generic = (GenericRecord) decoded;
        assertThat(generic.get("verdictId")).hasToString("v-generic");
        assertThat(((GenericRecord) generic.get("request")).get("score")).isEqualTo(0.97);
    }

    @Test
    void shouldKeepNullsAsTombstones() {
        AvroSerializer<Alert> serializer = new AvroSerializer<>(registry, true);
        assertThat(serializer.serialize("any", null)).isNull();
        assertThat(new AvroDeserializer<GuardCheck>(registry, true).deserialize("any", null)).isNull();
    }
}

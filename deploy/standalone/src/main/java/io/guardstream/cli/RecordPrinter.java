package io.guardstream.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.guardstream.avro.registry.SchemaRegistryClient;
import io.guardstream.avro.serde.AvroDeserializer;
import io.guardstream.avro.serde.WireFormat;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Renders a raw Kafka record as one JSON object: coordinates, key, headers and value. Values in the
 * Confluent Avro wire format are decoded through the registry; anything else (DLQ payloads) is shown as
 * UTF-8 text when it is valid text, else as base64, with the decoding error when there was one.
 */
final class RecordPrinter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AvroDeserializer<Object> avro;

    RecordPrinter(SchemaRegistryClient registry) {
        this.avro = new AvroDeserializer<>(registry, false);
    }

    String toJsonLine(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode line = JSON.createObjectNode()
                .put("topic", record.topic())
                .put("partition", record.partition())
                .put("offset", record.offset())
                .put("timestamp", record.timestamp());
        line.set("key", rawValue(record.key()));
        ObjectNode headers = line.putObject("headers");
        for (Header header : record.headers()) {
            headers.set(header.key(), rawValue(header.value()));
        }
        decodeValue(record, line);
        return line.toString();
    }

    private void decodeValue(ConsumerRecord<byte[], byte[]> record, ObjectNode line) {
        byte[] value = record.value();
        if (value == null) {
            line.putNull("value");
            return;
        }
        if (value.length >= WireFormat.HEADER_SIZE && value[0] == WireFormat.MAGIC_BYTE) {
            try {
                Object decoded = avro.deserialize(record.topic(), value);
                line.put("schemaId", ByteBuffer.wrap(value, 1, 4).getInt());
                line.set("value", JSON.readTree(GenericData.get().toString(decoded)));
                return;
            } catch (RuntimeException | JsonProcessingException e) {
                line.put("decodeError", e.getMessage());
            }
        }
        line.set("value", rawValue(value));
    }

    private static JsonNode rawValue(byte[] bytes) {
        if (bytes == null) {
            return JSON.nullNode();
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            return JSON.getNodeFactory().textNode(text);
        } catch (CharacterCodingException notText) {
            return JSON.createObjectNode().put("base64", Base64.getEncoder().encodeToString(bytes));
        }
    }
}

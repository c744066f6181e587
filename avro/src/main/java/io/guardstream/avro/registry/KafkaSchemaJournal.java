package io.guardstream.avro.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Keeps the registry's changes in a compacted, single-partition Kafka topic (default {@code _schemas}),
 * in the spirit of Confluent's own store: JSON keys {@code {"keytype":"SCHEMA","subject","version"}} or
 * {@code {"keytype":"CONFIG","subject"}}, JSON values. Appends wait for the broker's acknowledgement,
 * so an id handed out is never lost.
 */
final class KafkaSchemaJournal implements SchemaStore.Journal, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    KafkaSchemaJournal(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "guardstream-schema-registry");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Creates the topic when missing and replays it into the store. */
    void replayInto(SchemaStore store) {
        ensureTopic();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new SchemaRegistryException("Timed out replaying schema topic " + topic, null);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(store, record.key(), record.value());
                }
            }
        }
    }

    @Override
    public void appendSchema(String subject, int version, int id, String schema) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
        ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", schema).put("deleted", false);
        send(key, value);
    }

    @Override
    public void appendConfig(String subject, CompatibilityLevel level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG").put("subject", subject).put("magic", 0);
        ObjectNode value = JSON.createObjectNode().put("compatibilityLevel", level.name());
        send(key, value);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private void send(ObjectNode key, ObjectNode value) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, bytes(key), bytes(value))).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while storing a schema", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                    "Cannot store the change in topic " + topic + ": " + e.getMessage());
        }
    }

    private static void apply(SchemaStore store, byte[] keyBytes, byte[] valueBytes) {
        if (keyBytes == null || valueBytes == null) {
            return;
        }
        try {
            JsonNode key = JSON.readTree(keyBytes);
            JsonNode value = JSON.readTree(valueBytes);
            String subject = key.hasNonNull("subject") ? key.get("subject").asText() : null;
            switch (key.path("keytype").asText()) {
                case "SCHEMA" -> {
                    if (!value.path("deleted").asBoolean(false)) {
                        store.applySchema(subject, value.path("version").asInt(), value.path("id").asInt(), value.path("schema").asText());
                    }
                }
                case "CONFIG" -> store.applyConfig(subject, CompatibilityLevel.parse(
                        Optional.ofNullable(value.get("compatibilityLevel")).map(JsonNode::asText).orElse("BACKWARD")));
                default -> {
                }
            }
        } catch (java.io.IOException e) {
            throw new SchemaRegistryException("Unreadable record in schema topic: " + e.getMessage(), e);
        }
    }

    private void ensureTopic() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new SchemaRegistryException("Cannot create schema topic " + topic + ": " + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while creating schema topic", e);
        } catch (TimeoutException e) {
            throw new SchemaRegistryException("Timed out creating schema topic " + topic, e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}

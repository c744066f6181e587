package io.guardstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.guardstream.avro.Exchange;
import io.guardstream.avro.serde.AvroDeserializer;
import io.guardstream.avro.serde.AvroSerializer;
import io.guardstream.testing.AvroFixtures;
import io.guardstream.testing.KafkaTestEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaTestEnvironment.class)
class KafkaAvroRoundTripTest {

    private final KafkaTestEnvironment env = KafkaTestEnvironment.get();

    @Test
    void shouldProduceAndConsumeAvroExchangesThroughTheEmbeddedBroker() throws Exception {
        String topic = AvroFixtures.uniqueTopic("exchanges");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", env.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(2), Optional.empty()))).all().get();
        }

        Map<String, Object> producerProps = new HashMap<>(env.serdeConfig());
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        List<Exchange> sent = List.of(AvroFixtures.exchange("ex-a"), AvroFixtures.failedExchange("ex-b"), AvroFixtures.exchange("ex-c"));
        try (KafkaProducer<String, Exchange> producer =
                     new KafkaProducer<>(producerProps, new StringSerializer(), configured(new AvroSerializer<>(), false))) {
            for (Exchange exchange : sent) {
                producer.send(new ProducerRecord<>(topic, exchange.getExchangeId(), exchange)).get();
            }
        }

        Map<String, Object> consumerProps = new HashMap<>(env.serdeConfig());
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "roundtrip-" + topic);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Exchange> received = new ArrayList<>();
        try (KafkaConsumer<String, Exchange> consumer =
                     new KafkaConsumer<>(consumerProps, new StringDeserializer(), configured(new AvroDeserializer<>(), consumerProps))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.size() < sent.size() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, Exchange> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.key()).isEqualTo(record.value().getExchangeId());
                    received.add(record.value());
                }
            }
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    private <T extends AvroSerializer<Exchange>> T configured(T serializer, boolean isKey) {
        serializer.configure(env.serdeConfig(), isKey);
        return serializer;
    }

    private static AvroDeserializer<Exchange> configured(AvroDeserializer<Exchange> deserializer, Map<String, Object> props) {
        deserializer.configure(props, false);
        return deserializer;
    }
}

package io.guardstream.streams.alerts;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.guardstream.avro.Alert;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code guard.alerts.v1} on its own thread and hands each alert to a sink. With a group id it shares the
 * topic with other instances (each alert handled once, e.g. webhooks); without one it reads every partition from
 * the end (each instance sees every new alert, e.g. the SSE feed). Unreadable records are skipped.
 */
public final class AlertConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertConsumer.class);

    private final KafkaConsumer<String, Alert> consumer;
    private final String topic;
    private final String groupId;
    private final Consumer<Alert> sink;
    private final Thread thread;
    private volatile boolean running = true;

    public AlertConsumer(String name, String bootstrap, String registryUrl, String topic, String groupId, Consumer<Alert> sink) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(RegistryClientConfig.URL, registryUrl);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "guardstream-" + name);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        } else {
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        }
        AvroDeserializer<Alert> values = new AvroDeserializer<>();
        values.configure(props, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        this.topic = topic;
        this.groupId = groupId;
        this.sink = sink;
        this.thread = new Thread(this::run, "guardstream-" + name);
        this.thread.setDaemon(true);
    }

    public AlertConsumer start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            if (groupId != null) {
                consumer.subscribe(List.of(topic));
            } else {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
            }
            while (running) {
                try {
                    for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(500))) {
                        deliver(record.value());
                    }
                } catch (RecordDeserializationException e) {
                    log.warn("Skipping unreadable alert at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("Alert consumer on {} stopped", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(Alert alert) {
        if (alert == null) {
            return;
        }
        try {
            sink.accept(alert);
        } catch (RuntimeException e) {
            log.warn("Alert sink failed for {}", alert.getAlertId(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

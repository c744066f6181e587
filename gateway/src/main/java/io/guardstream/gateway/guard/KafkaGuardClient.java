package io.guardstream.gateway.guard;

import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.registry.CachingSchemaRegistryClient;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.serde.AvroDeserializer;
import io.guardstream.avro.serde.AvroSerializer;
import io.guardstream.kafka.Topics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guard transport over Kafka: produces each {@link GuardCheck} to {@code guard.checks.v1} with the
 * {@code guardstream.reply.partition} header naming this instance's partition of
 * {@code guard.replies.v1}, and reads that one partition (static assignment, no consumer group, so
 * instances never steal each other's replies) to complete pending checks by check id. Replies that
 * arrive after their timeout are dropped.
 */
public final class KafkaGuardClient implements GuardClient {

  private static final Logger log = LoggerFactory.getLogger(KafkaGuardClient.class);

  /** Connection settings; {@code replyPartition} is this gateway instance's ordinal. */
  public record Settings(String bootstrapServers, String registryUrl, String checksTopic, String repliesTopic, int replyPartition) {
  }

  private record Pending(Promise<GuardVerdict> promise, Context context, long timerId) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final KafkaProducer<String, GuardCheck> producer;
  private final KafkaConsumer<String, GuardVerdict> consumer;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Thread replyReader;
  private volatile boolean running = true;

  private KafkaGuardClient(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    CachingSchemaRegistryClient registry =
        new CachingSchemaRegistryClient(new RestSchemaRegistryClient(RegistryClientConfig.of(settings.registryUrl())));

    Map<String, Object> producerProps = new HashMap<>();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "1");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // a send must never hold the event loop: fail fast instead when metadata is missing
    producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "200");
    producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "guardstream-gateway-checks-" + settings.replyPartition());
    AvroSerializer<GuardCheck> serializer = new AvroSerializer<>(registry, true);
    this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), serializer);
    serializer.prepare(settings.checksTopic(), GuardCheck.getClassSchema());
    producer.partitionsFor(settings.checksTopic());

    Map<String, Object> consumerProps = new HashMap<>();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "guardstream-gateway-replies-" + settings.replyPartition());
    this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new AvroDeserializer<>(registry, true));
    TopicPartition partition = new TopicPartition(settings.repliesTopic(), settings.replyPartition());
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition);

    this.replyReader = new Thread(this::readReplies, "guardstream-guard-replies-" + settings.replyPartition());
    replyReader.setDaemon(true);
  }

  /** Connects (blocking work runs on a worker thread) and starts reading this instance's reply partition. */
  public static Future<KafkaGuardClient> start(Vertx vertx, Settings settings) {
    return vertx.executeBlocking(() -> {
      KafkaGuardClient client = new KafkaGuardClient(vertx, settings);
      client.replyReader.start();
      log.info("Kafka guard transport ready: checks -> {}, replies <- {}[{}]",
          settings.checksTopic(), settings.repliesTopic(), settings.replyPartition());
      return client;
    });
  }

  @Override
  public Future<GuardVerdict> judge(GuardCheck check, long timeoutMs) {
    Context context = vertx.getOrCreateContext();
    Promise<GuardVerdict> promise = Promise.promise();
    String checkId = check.getCheckId();
    check.setReplyPartition(settings.replyPartition());
    long timerId = vertx.setTimer(timeoutMs, id -> {
      if (pending.remove(checkId) != null) {
        promise.tryFail(new GuardUnavailableException(GuardUnavailableException.Reason.TIMEOUT,
            "no verdict within " + timeoutMs + " ms"));
      }
    });
    pending.put(checkId, new Pending(promise, context, timerId));
    ProducerRecord<String, GuardCheck> record = new ProducerRecord<>(settings.checksTopic(), checkId, check);
    record.headers().add(Topics.REPLY_PARTITION_HEADER, ByteBuffer.allocate(4).putInt(settings.replyPartition()).array());
    try {
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          fail(checkId, GuardUnavailableException.Reason.TRANSPORT_ERROR, "cannot publish check: " + error.getMessage());
        }
      });
    } catch (RuntimeException e) {
      fail(checkId, GuardUnavailableException.Reason.TRANSPORT_ERROR, "cannot publish check: " + e.getMessage());
    }
    return promise.future();
  }

  /** Checks waiting for a verdict right now. */
  public int pendingCount() {
    return pending.size();
  }

  private void readReplies() {
    try {
      while (running) {
        for (ConsumerRecord<String, GuardVerdict> record : consumer.poll(Duration.ofMillis(500))) {
          GuardVerdict verdict = record.value();
          if (verdict == null || verdict.getCheckId() == null) {
            continue;
          }
          Pending waiting = pending.remove(verdict.getCheckId());
          if (waiting == null) {
            continue;
          }
          vertx.cancelTimer(waiting.timerId());
          waiting.context().runOnContext(v -> {
            if (verdict.getError() != null) {
              waiting.promise().tryFail(new GuardUnavailableException(GuardUnavailableException.Reason.GUARD_ERROR,
                  "guard error: " + verdict.getError()));
            } else {
              waiting.promise().tryComplete(verdict);
            }
          });
        }
      }
    } catch (WakeupException stopping) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      log.error("Reply reader of partition {} died; pending checks will time out", settings.replyPartition(), e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void fail(String checkId, GuardUnavailableException.Reason reason, String message) {
    Pending waiting = pending.remove(checkId);
    if (waiting != null) {
      vertx.cancelTimer(waiting.timerId());
      waiting.context().runOnContext(v -> waiting.promise().tryFail(new GuardUnavailableException(reason, message)));
    }
  }

  @Override
  public Future<Void> close() {
    running = false;
    consumer.wakeup();
    return vertx.executeBlocking(() -> {
      replyReader.join(5_000);
      producer.close(Duration.ofSeconds(2));
      pending.keySet().forEach(id -> fail(id, GuardUnavailableException.Reason.TRANSPORT_ERROR, "gateway shutting down"));
      return null;
    });
  }
}

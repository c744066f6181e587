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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>{@code KafkaProducer.send} blocks while topic metadata is missing or its buffer is full, so checks are handed to
 * one sender thread through a bounded queue; a check that finds the queue full fails at once as a transport error
 * (the policy's fail-open or fail-closed then applies) and no event loop ever waits on the producer.
 */
public final class KafkaGuardClient implements GuardClient {

  private static final Logger log = LoggerFactory.getLogger(KafkaGuardClient.class);

  /** Checks waiting for the sender thread; one more fails at once instead of queuing. */
  static final int SEND_QUEUE_CAPACITY = 4096;

  /** Connection settings; {@code replyPartition} is this gateway instance's ordinal. */
  public record Settings(String bootstrapServers, String registryUrl, String checksTopic, String repliesTopic, int replyPartition) {
  }

  private record Pending(Promise<GuardVerdict> promise, Context context, long timerId) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final KafkaProducer<String, GuardCheck> producer;
  private final Executor sender;
  private final KafkaConsumer<String, GuardVerdict> consumer;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Thread replyReader;
  private volatile boolean running = true;

  private KafkaGuardClient(Vertx vertx, Settings settings, Executor sender) {
    this.vertx = vertx;
    this.settings = settings;
    this.sender = sender;
    CachingSchemaRegistryClient registry =
        new CachingSchemaRegistryClient(new RestSchemaRegistryClient(RegistryClientConfig.of(settings.registryUrl())));

    Map<String, Object> producerProps = new HashMap<>();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "1");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // a send waiting for metadata or buffer space holds the sender thread, and checks queue behind it: fail fast
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
    ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(SEND_QUEUE_CAPACITY), r -> {
          Thread t = new Thread(r, "guardstream-guard-checks-" + settings.replyPartition());
          t.setDaemon(true);
          return t;
        });
    return start(vertx, settings, sender).onFailure(e -> sender.shutdown());
  }

  /** As {@link #start(Vertx, Settings)}, with the executor that runs the producer's sends. */
  static Future<KafkaGuardClient> start(Vertx vertx, Settings settings, Executor sender) {
    return vertx.executeBlocking(() -> {
      KafkaGuardClient client = new KafkaGuardClient(vertx, settings, sender);
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
      sender.execute(() -> send(checkId, record));
    } catch (RejectedExecutionException e) {
      fail(checkId, GuardUnavailableException.Reason.TRANSPORT_ERROR,
          "cannot publish check: " + SEND_QUEUE_CAPACITY + " checks already wait for the producer");
    }
    return promise.future();
  }

  private void send(String checkId, ProducerRecord<String, GuardCheck> record) {
    try {
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          fail(checkId, GuardUnavailableException.Reason.TRANSPORT_ERROR, "cannot publish check: " + error.getMessage());
        }
      });
    } catch (RuntimeException e) {
      fail(checkId, GuardUnavailableException.Reason.TRANSPORT_ERROR, "cannot publish check: " + e.getMessage());
    }
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
      if (sender instanceof ExecutorService executor) {
        executor.shutdown();
        executor.awaitTermination(2, TimeUnit.SECONDS);
      }
      producer.close(Duration.ofSeconds(2));
      pending.keySet().forEach(id -> fail(id, GuardUnavailableException.Reason.TRANSPORT_ERROR, "gateway shutting down"));
      return null;
    });
  }
}

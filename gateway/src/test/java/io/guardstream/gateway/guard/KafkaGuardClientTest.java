package io.guardstream.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.LabelScore;
import io.guardstream.avro.VerdictSource;
import io.guardstream.avro.registry.RegistryClientConfig;
import io.guardstream.avro.registry.RestSchemaRegistryClient;
import io.guardstream.avro.serde.AvroDeserializer;
import io.guardstream.avro.serde.AvroSerializer;
import io.guardstream.kafka.Topics;
import io.guardstream.testing.AvroFixtures;
import io.guardstream.testing.KafkaTestEnvironment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kafka transport against a real broker. A small responder stands in for the checks app (its own
 * module, tested end to end in it-tests): it answers each check on the partition its header names.
 */
@ExtendWith(KafkaTestEnvironment.class)
class KafkaGuardClientTest {

  private static final int REPLY_PARTITION = 2;

  private final KafkaTestEnvironment env = KafkaTestEnvironment.get();
  private final String checks = AvroFixtures.uniqueTopic("checks");
  private final String replies = AvroFixtures.uniqueTopic("replies");
  private volatile boolean responding = true;
  private Thread responder;
  private KafkaGuardClient client;

  @BeforeEach
  void start() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", env.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(checks, Optional.of(1), Optional.empty()),
          new NewTopic(replies, Optional.of(4), Optional.empty()))).all().get();
    }
    responder = new Thread(this::respond, "test-checks-responder");
    responder.start();
    client = KafkaGuardClient.start(env.vertx(), settings()).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private KafkaGuardClient.Settings settings() {
    return new KafkaGuardClient.Settings(env.bootstrapServers(), env.registryUrl(), checks, replies, REPLY_PARTITION);
  }

  private KafkaGuardClient startWithSender(Executor sender) throws Exception {
    return KafkaGuardClient.start(env.vertx(), settings(), sender).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    responding = false;
    responder.join(5_000);
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void shouldCompleteTheCheckWithTheVerdictFromItsReplyPartition() throws Exception {
    GuardVerdict verdict = judge(check("ok-1"), 10_000).get(15, TimeUnit.SECONDS);
    assertThat(verdict.getCheckId()).isEqualTo("ok-1");
    assertThat(verdict.getRequest().getLabel()).isEqualTo("harmful");
    assertThat(client.pendingCount()).isZero();
  }

  @Test
  void shouldFailWithTimeoutWhenNoVerdictComes() {
    Throwable failure = judge(check("silent-1"), 300).handle((v, e) -> e).join();
    assertThat(failure).isInstanceOfSatisfying(GuardUnavailableException.class,
        e -> assertThat(e.reason()).isEqualTo(GuardUnavailableException.Reason.TIMEOUT));
    assertThat(client.pendingCount()).isZero();
  }

  @Test
  void shouldFailWhenTheGuardAnswersWithAnErrorVerdict() {
    Throwable failure = judge(check("error-1"), 10_000).handle((v, e) -> e).join();
    assertThat(failure).isInstanceOfSatisfying(GuardUnavailableException.class,
        e -> assertThat(e.reason()).isEqualTo(GuardUnavailableException.Reason.GUARD_ERROR));
  }

  @Test
  void shouldLeaveTheProducerSendToTheSenderSoTheEventLoopNeverWaitsOnIt() throws Exception {
    List<Runnable> held = new CopyOnWriteArrayList<>();
    KafkaGuardClient heldClient = startWithSender(held::add);
    try {
      CompletableFuture<GuardVerdict> verdict = judge(heldClient, check("held-1"), 10_000);
      await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 1);
      assertThat(heldClient.pendingCount()).isEqualTo(1);
      Thread.sleep(300);
      assertThat(verdict).as("nothing was sent yet, so no verdict can have come").isNotDone();
      held.forEach(Runnable::run);
      assertThat(verdict.get(15, TimeUnit.SECONDS).getCheckId()).isEqualTo("held-1");
    } finally {
      heldClient.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldFailAtOnceAsATransportErrorWhenTheSendQueueIsFull() throws Exception {
    KafkaGuardClient full = startWithSender(task -> {
      throw new RejectedExecutionException("queue full");
    });
    try {
      Throwable failure = judge(full, check("full-1"), 60_000).handle((v, e) -> e).get(5, TimeUnit.SECONDS);
      assertThat(failure).isInstanceOfSatisfying(GuardUnavailableException.class, e -> {
        assertThat(e.reason()).isEqualTo(GuardUnavailableException.Reason.TRANSPORT_ERROR);
        assertThat(e).hasMessageContaining("wait for the producer");
      });
      assertThat(full.pendingCount()).isZero();
    } finally {
      full.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private CompletableFuture<GuardVerdict> judge(GuardCheck check, long timeoutMs) {
    return judge(client, check, timeoutMs);
  }

  private CompletableFuture<GuardVerdict> judge(KafkaGuardClient client, GuardCheck check, long timeoutMs) {
    CompletableFuture<GuardVerdict> result = new CompletableFuture<>();
    env.vertx().runOnContext(v -> client.judge(check, timeoutMs)
        .onSuccess(result::complete).onFailure(result::completeExceptionally));
    return result;
  }

  private static GuardCheck check(String id) {
    GuardCheck check = AvroFixtures.check(id);
    check.setReplyPartition(null);
    return check;
  }

  private void respond() {
    RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RegistryClientConfig.of(env.registryUrl()));
    Map<String, Object> props = Map.of("bootstrap.servers", env.bootstrapServers());
    try (KafkaConsumer<String, GuardCheck> consumer =
             new KafkaConsumer<>(props, new StringDeserializer(), new AvroDeserializer<>(registry, true));
         KafkaProducer<String, GuardVerdict> producer =
             new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer<>(registry, true))) {
      TopicPartition partition = new TopicPartition(checks, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (responding) {
        for (ConsumerRecord<String, GuardCheck> record : consumer.poll(Duration.ofMillis(100))) {
          GuardCheck check = record.value();
          if (check.getCheckId().startsWith("silent")) {
            continue;
          }
          Header header = record.headers().lastHeader(Topics.REPLY_PARTITION_HEADER);
          int partitionToAnswer = ByteBuffer.wrap(header.value()).getInt();
          GuardVerdict.Builder verdict = GuardVerdict.newBuilder().setVerdictId("v-" + check.getCheckId())
              .setCheckId(check.getCheckId()).setExchangeId(check.getExchangeId()).setTenantId(check.getTenantId())
              .setSource(VerdictSource.IN_FLIGHT).setModel("test").setCreatedAt(Instant.now());
          if (check.getCheckId().startsWith("error")) {
            verdict.setError("model server unreachable");
          } else {
            verdict.setRequest(new LabelScore("harmful", 0.93));
          }
          producer.send(new ProducerRecord<>(replies, partitionToAnswer, check.getExchangeId(), verdict.build()));
          // a reply for another instance must not complete anything here
          producer.send(new ProducerRecord<>(replies, (partitionToAnswer + 1) % 4, check.getExchangeId(), verdict.build()));
        }
      }
    }
  }
}

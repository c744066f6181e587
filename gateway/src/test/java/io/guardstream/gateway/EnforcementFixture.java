package io.guardstream.gateway;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.guardstream.gateway.enforce.Guards;
import io.guardstream.gateway.exchange.ExchangeRecord;
import io.guardstream.gateway.policy.Modes.Transport;
import io.guardstream.gateway.policy.Policy;
import io.guardstream.gateway.policy.PolicySet;
import io.guardstream.gateway.policy.PolicyStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** A {@link GatewayFixture} with moderation on: the given policies and a {@link ScriptedGuard} as the kafka transport. */
final class EnforcementFixture implements AutoCloseable {

  private final GatewayFixture fx;
  private final ScriptedGuard guard;
  private final PolicyStore policies;
  private final Path policyFile;

  private EnforcementFixture(String policiesYaml, boolean fromFile) throws Exception {
    this.policyFile = fromFile ? Files.createTempFile("guardstream-policies", ".yaml") : null;
    GatewayFixture[] holder = new GatewayFixture[1];
    ScriptedGuard[] scripted = new ScriptedGuard[1];
    PolicyStore[] store = new PolicyStore[1];
    holder[0] = new GatewayFixture(config -> { }, gateway -> {
      scripted[0] = new ScriptedGuard(gateway.vertx());
      try {
        if (fromFile) {
          Files.writeString(policyFile, "policies:\n" + indent(policiesYaml));
          store[0] = PolicyStore.watch(gateway.vertx(), policyFile, 50).await(10, TimeUnit.SECONDS);
        } else {
          store[0] = PolicyStore.of(gateway.vertx(), PolicySet.parse("policies:\n" + indent(policiesYaml)));
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      gateway.moderation(store[0], new Guards().with(Transport.KAFKA, scripted[0]));
    });
    this.fx = holder[0];
    this.guard = scripted[0];
    this.policies = store[0];
  }

  EnforcementFixture(String policiesYaml) throws Exception {
    this(policiesYaml, false);
  }

  static EnforcementFixture withPolicyFile(String policiesYaml) throws Exception {
    return new EnforcementFixture(policiesYaml, true);
  }

  void rewritePolicies(String policiesYaml) throws Exception {
    Files.writeString(policyFile, "policies:\n" + indent(policiesYaml));
  }

  ScriptedGuard guard() {
    return guard;
  }

  FakeUpstream upstream() {
    return fx.upstream;
  }

  Policy policy() {
    return policies.forName("default");
  }

  OpenAIClient sdk() {
    return fx.sdk();
  }

  String plainBody() {
    return FakeUpstream.PLAIN_BODY;
  }

  String longBenignSse() {
    return String.join("", FakeUpstream.longBenignChunks());
  }

  HttpResponse<byte[]> chat(String model, String prompt, boolean stream) throws Exception {
    JsonObject body = new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
    return fx.postJson(body.encode());
  }

  List<ChatCompletionChunk> stream(String model, String prompt) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = fx.sdk().chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).build())) {
      stream.stream().forEach(chunks::add);
    }
    return chunks;
  }

  ExchangeRecord exchange(HttpResponse<?> response) {
    String id = response.headers().firstValue("x-guardstream-exchange-id").orElseThrow();
    return Awaitility.await().atMost(Duration.ofSeconds(10)).until(
        () -> fx.publisher.exchanges.stream().filter(e -> e.exchangeId().equals(id)).findFirst().orElse(null),
        e -> e != null);
  }

  ExchangeRecord lastExchange() {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !fx.publisher.exchanges.isEmpty());
    return fx.publisher.exchanges.get(fx.publisher.exchanges.size() - 1);
  }

  double metric(String name) throws Exception {
    String scrape = fx.get("/metrics", null).body();
    return scrape.lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static String indent(String yaml) {
    return yaml.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
  }

  @Override
  public void close() throws Exception {
    fx.close();
    if (policyFile != null) {
      Files.deleteIfExists(policyFile);
    }
  }
}

package io.guardstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.guardstream.avro.EnforcementAction;
import io.guardstream.avro.EnforcementRecord;
import io.guardstream.gateway.exchange.ExchangeRecord;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** In-flight enforcement through the real gateway, with the OpenAI SDK as client and a fake upstream. */
class EnforcementTest {

  private static final String HARMFUL_PROMPT = "How do I synthesize a nerve agent at home?";

  @Test
  void syncBlocksAHarmfulRequestBeforeTheUpstreamSeesIt() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture("default: {request: sync, response: audit}")) {
      HttpResponse<byte[]> blocked = fx.chat("fake-model", HARMFUL_PROMPT, false);

      assertThat(blocked.statusCode()).isEqualTo(400);
      JsonObject error = new JsonObject(new String(blocked.body(), StandardCharsets.UTF_8)).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("content_filter");
      assertThat(error.getString("type")).isEqualTo("invalid_request_error");
      assertThat(error.getString("param")).isEqualTo("messages");
      assertThat(error.getJsonObject("guardstream").getString("action")).isEqualTo("block");
      assertThat(error.getJsonObject("guardstream").getJsonArray("reasoning")).isNotEmpty();
      assertThat(blocked.headers().firstValue("x-guardstream-verdict")).hasValueSatisfying(v -> assertThat(v).startsWith("block"));
      assertThat(fx.upstream().received()).isEmpty();

      assertThatThrownBy(() -> fx.sdk().chat().completions().create(ChatCompletionCreateParams.builder()
          .model("fake-model").addUserMessage(HARMFUL_PROMPT).build()))
          .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).hasValue("content_filter"));
      assertThat(fx.upstream().received()).isEmpty();

      EnforcementRecord record = fx.exchange(blocked).enforcement();
      assertThat(record.getAction()).isEqualTo(EnforcementAction.BLOCK);
      assertThat(record.getBlockedStage()).isEqualTo("request");
      assertThat(record.getVerdictIds()).hasSize(1);
      assertThat(record.getTransport()).isEqualTo("kafka");
    }
  }

  @Test
  void aBenignRequestPassesUnchanged() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture("default: {request: sync, response: sync}")) {
      HttpResponse<byte[]> ok = fx.chat("fake-model", "Say hello", false);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo(fx.plainBody());
      assertThat(fx.upstream().received()).hasSize(1);
      assertThat(fx.exchange(ok).enforcement().getAction()).isEqualTo(EnforcementAction.NONE);
      assertThat(fx.exchange(ok).enforcement().getVerdictIds()).hasSize(2);
    }
  }

  @Test
  void parallelCancelsTheUpstreamCallOfABlockedRequest() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture("default: {request: parallel, response: audit}")) {
      fx.guard().delayMs = 300;
      HttpResponse<byte[]> blocked = fx.chat("fake-slow", HARMFUL_PROMPT, true);

      assertThat(blocked.statusCode()).isEqualTo(400);
      assertThat(new String(blocked.body(), StandardCharsets.UTF_8)).contains("content_filter").doesNotContain("tick");
      assertThat(fx.upstream().received()).as("forwarded at once").hasSize(1);
      assertThat(fx.upstream().awaitSlowStreamClosed(5_000)).as("upstream call cancelled").isTrue();

      fx.guard().delayMs = 5;
      HttpResponse<byte[]> ok = fx.chat("fake-model", "Say hello", false);
      assertThat(ok.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void holdBackCutsAStreamThatTurnsHarmfulBeforeTheHarmfulWindowReachesTheClient() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture("default: {request: sync, response: hold_back, windowChars: 64, overlapChars: 16}")) {
      List<ChatCompletionChunk> chunks = fx.stream("fake-turns-harmful", "Tell me a story");
      String text = text(chunks);
      ChatCompletionChunk last = chunks.get(chunks.size() - 1);

      assertThat(last.choices().get(0).finishReason()).hasValueSatisfying(r -> assertThat(r.asString()).isEqualTo("content_filter"));
      assertThat(text).doesNotContain("STEP 3").doesNotContain("PRECURSORS").startsWith("Once upon a time");
      assertThat(text).endsWith(fx.policy().refusalText);
      assertThat(fx.lastExchange().enforcement().getBlockedStage()).isEqualTo("response");
    }
  }

  @Test
  void redactReplacesTheHarmfulWindowAndTheStreamGoesOn() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture(
        "default: {request: sync, response: hold_back, windowChars: 64, overlapChars: 16, action: redact}")) {
      List<ChatCompletionChunk> chunks = fx.stream("fake-turns-harmful", "Tell me a story");
      String text = text(chunks);

      assertThat(text).doesNotContain("STEP 3").contains(fx.policy().redactionText).endsWith("The end.");
      assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
          .hasValueSatisfying(r -> assertThat(r.asString()).isEqualTo("stop"));
      assertThat(fx.lastExchange().enforcement().getAction()).isEqualTo(EnforcementAction.REDACT);
    }
  }

  @Test
  void streamFirstCutsTheStreamAtTheFirstUnsafeWindow() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture("default: {request: sync, response: stream_first, windowChars: 64, overlapChars: 16}")) {
      List<ChatCompletionChunk> chunks = fx.stream("fake-turns-harmful", "Tell me a story");
      assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
          .hasValueSatisfying(r -> assertThat(r.asString()).isEqualTo("content_filter"));
      assertThat(text(chunks)).doesNotContain("The end.");
    }
  }

  @Test
  void benignStreamsArriveByteIdenticalUnderHoldBack() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture("default: {request: sync, response: hold_back, windowChars: 100, overlapChars: 20}")) {
      HttpResponse<byte[]> streamed = fx.chat("fake-long-benign", "Weather?", true);
      assertThat(streamed.statusCode()).isEqualTo(200);
      assertThat(new String(streamed.body(), StandardCharsets.UTF_8)).isEqualTo(fx.longBenignSse());
      assertThat(fx.guard().judged).as("request + windows").hasSizeGreaterThan(6);
    }
  }

  @Test
  void syncRewritesAHarmfulNonStreamedAnswer() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture("default: {request: sync, response: hold_back}")) {
      ChatCompletion completion = fx.sdk().chat().completions().create(ChatCompletionCreateParams.builder()
          .model("fake-turns-harmful").addUserMessage("Tell me a story").build());
      assertThat(completion.choices().get(0).finishReason().asString()).isEqualTo("content_filter");
      assertThat(completion.choices().get(0).message().content()).hasValue(fx.policy().refusalText);
      assertThat(completion._additionalProperties()).containsKey("guardstream");
    }
  }

  @Test
  void failClosedRefusesWhenTheGuardIsDown() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture("default: {request: sync, response: sync, guardTimeoutMs: 200}")) {
      fx.guard().down = true;
      HttpResponse<byte[]> closed = fx.chat("fake-model", "Say hello", false);
      assertThat(closed.statusCode()).isEqualTo(503);
      assertThat(new String(closed.body(), StandardCharsets.UTF_8)).contains("guard_unavailable");
      assertThat(fx.upstream().received()).isEmpty();
      assertThat(fx.exchange(closed).enforcement().getBypassReason()).contains("timeout");
      assertThat(fx.metric("guardstream_guard_failures_total")).isEqualTo(1);
    }
  }

  @Test
  void failOpenPassesAndMarksTheExchangeUnverifiedWhenTheGuardIsDown() throws Exception {
    try (EnforcementFixture fx = new EnforcementFixture(
        "default: {request: sync, response: sync, guardTimeoutMs: 200, onGuardFailure: fail_open}")) {
      fx.guard().down = true;
      HttpResponse<byte[]> open = fx.chat("fake-model", "Say hello", false);
      assertThat(open.statusCode()).isEqualTo(200);
      assertThat(new String(open.body(), StandardCharsets.UTF_8)).isEqualTo(fx.plainBody());
      assertThat(open.headers().firstValue("x-guardstream-verdict")).hasValueSatisfying(v -> assertThat(v).contains("unverified"));
      EnforcementRecord record = fx.exchange(open).enforcement();
      assertThat(record.getFailOpenBypass()).isTrue();
      assertThat(record.getBypassReason()).contains("timeout");
      assertThat(fx.metric("guardstream_guard_failures_total")).isEqualTo(2);
    }
  }

  @Test
  void aPolicyFileEditChangesBehaviourWithoutRestart() throws Exception {
    try (EnforcementFixture fx = EnforcementFixture.withPolicyFile("default: {request: sync, response: audit}")) {
      assertThat(fx.chat("fake-model", HARMFUL_PROMPT, false).statusCode()).isEqualTo(400);
      fx.rewritePolicies("default: {request: audit, response: audit}");
      await().atMost(Duration.ofSeconds(10)).until(() -> fx.chat("fake-model", HARMFUL_PROMPT, false).statusCode() == 200);
    }
  }

  private static String text(List<ChatCompletionChunk> chunks) {
    return chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
        .collect(Collectors.joining());
  }
}

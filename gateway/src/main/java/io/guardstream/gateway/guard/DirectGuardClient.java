package io.guardstream.gateway.guard;

import io.guardstream.avro.ChatMessage;
import io.guardstream.avro.ContentPart;
import io.guardstream.avro.ContentPartType;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.LabelScore;
import io.guardstream.avro.VerdictSource;
import io.guardstream.gateway.config.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Guard transport over HTTP: checks waiting at the same moment go to the model server's
 * {@code POST /v1/guard/batch} together (up to {@code maxBatch}, waiting at most {@code maxWaitMs}
 * for company), and each caller gets its own result. Non-blocking throughout.
 */
public final class DirectGuardClient implements GuardClient {

  private record Waiting(GuardCheck check, Promise<GuardVerdict> promise, Context context) {
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final RequestOptions batchRequest;
  private final int maxBatch;
  private final long maxWaitMs;
  private final List<Waiting> queue = new ArrayList<>();
  private long flushTimer = -1;

  public DirectGuardClient(Vertx vertx, GatewayConfig.DirectGuard settings) {
    this.vertx = vertx;
    URI base = URI.create(settings.url.endsWith("/") ? settings.url.substring(0, settings.url.length() - 1) : settings.url);
    boolean tls = "https".equalsIgnoreCase(base.getScheme());
    int port = base.getPort() > 0 ? base.getPort() : (tls ? 443 : 80);
    this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setKeepAlive(true).setConnectTimeout(2_000));
    this.batchRequest = new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost()).setPort(port)
        .setURI((base.getPath() == null ? "" : base.getPath()) + "/v1/guard/batch")
        .putHeader("content-type", "application/json");
    this.maxBatch = Math.max(1, settings.maxBatch);
    this.maxWaitMs = Math.max(0, settings.maxWaitMs);
  }

  @Override
  public Future<GuardVerdict> judge(GuardCheck check, long timeoutMs) {
    Promise<GuardVerdict> promise = Promise.promise();
    Context context = vertx.getOrCreateContext();
    long timer = vertx.setTimer(timeoutMs, id -> promise.tryFail(
        new GuardUnavailableException(GuardUnavailableException.Reason.TIMEOUT, "no verdict within " + timeoutMs + " ms")));
    promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    List<Waiting> ready = null;
    synchronized (queue) {
      queue.add(new Waiting(check, promise, context));
      if (queue.size() >= maxBatch || maxWaitMs == 0) {
        ready = drain();
      } else if (flushTimer < 0) {
        flushTimer = vertx.setTimer(maxWaitMs, id -> {
          List<Waiting> due;
          synchronized (queue) {
            flushTimer = -1;
            due = drain();
          }
          send(due);
        });
      }
    }
    if (ready != null) {
      send(ready);
    }
    return promise.future();
  }

  private List<Waiting> drain() {
    List<Waiting> batch = new ArrayList<>(queue);
    queue.clear();
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    return batch;
  }

  private void send(List<Waiting> batch) {
    if (batch.isEmpty()) {
      return;
    }
    JsonArray items = new JsonArray();
    Map<String, Waiting> byId = new HashMap<>();
    for (Waiting waiting : batch) {
      items.add(item(waiting.check()));
      byId.put(waiting.check().getCheckId(), waiting);
    }
    Buffer body = new JsonObject().put("items", items).toBuffer();
    http.request(batchRequest)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(bytes -> {
          if (resp.statusCode() != 200) {
            throw new GuardUnavailableException(GuardUnavailableException.Reason.GUARD_ERROR,
                "model server answered HTTP " + resp.statusCode());
          }
          return bytes.toJsonObject();
        }))
        .onComplete(ar -> {
          if (ar.failed()) {
            GuardUnavailableException error = ar.cause() instanceof GuardUnavailableException e ? e
                : new GuardUnavailableException(GuardUnavailableException.Reason.TRANSPORT_ERROR,
                    "model server unreachable: " + ar.cause().getMessage());
            batch.forEach(w -> w.context().runOnContext(v -> w.promise().tryFail(error)));
            return;
          }
          JsonArray results = ar.result().getJsonArray("results", new JsonArray());
          for (int i = 0; i < results.size(); i++) {
            JsonObject result = results.getJsonObject(i);
            Waiting waiting = byId.remove(result.getString("id"));
            if (waiting != null) {
              GuardVerdict verdict = verdict(waiting.check(), result);
              waiting.context().runOnContext(v -> waiting.promise().tryComplete(verdict));
            }
          }
          byId.values().forEach(w -> w.context().runOnContext(v -> w.promise().tryFail(new GuardUnavailableException(
              GuardUnavailableException.Reason.GUARD_ERROR, "model server returned no result for the check"))));
        });
  }

  static JsonObject item(GuardCheck check) {
    List<String> userTexts = new ArrayList<>();
    List<String> allTexts = new ArrayList<>();
    JsonArray images = new JsonArray();
    for (ChatMessage message : check.getRequestMessages()) {
      for (ContentPart part : message.getParts()) {
        if (part.getType() == ContentPartType.TEXT && part.getText() != null && !part.getText().isBlank()) {
          allTexts.add(part.getText());
          if ("user".equals(message.getRole())) {
            userTexts.add(part.getText());
          }
        } else if (part.getType() == ContentPartType.IMAGE && part.getImage() != null) {
          ByteBuffer inline = part.getImage().getInlineBytes();
          if (inline != null && inline.remaining() > 0) {
            byte[] bytes = new byte[inline.remaining()];
            inline.duplicate().get(bytes);
            images.add(new JsonObject().put("data", Base64.getEncoder().encodeToString(bytes)));
          } else if (part.getImage().getUrl() != null) {
            images.add(new JsonObject().put("url", part.getImage().getUrl()));
          }
        }
      }
    }
    JsonObject item = new JsonObject()
        .put("id", check.getCheckId())
        .put("request", new JsonObject().put("text", String.join("\n", userTexts.isEmpty() ? allTexts : userTexts))
            .put("images", images))
        .put("response", check.getResponseText() == null ? null : new JsonObject().put("text", check.getResponseText()));
    if (!check.getReasoning()) {
      item.put("reasoning", false);
    }
    return item;
  }

  static GuardVerdict verdict(GuardCheck check, JsonObject result) {
    Map<String, Double> categories = new HashMap<>();
    JsonObject scores = result.getJsonObject("categories", new JsonObject());
    scores.forEach(e -> categories.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    Object reasoning = result.getValue("reasoning");
    List<String> steps = new ArrayList<>();
    if (reasoning instanceof String text) {
      text.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(steps::add);
    } else if (reasoning instanceof JsonArray array) {
      array.forEach(line -> steps.add(String.valueOf(line)));
    }
    return GuardVerdict.newBuilder()
        .setVerdictId(UUID.randomUUID().toString())
        .setCheckId(check.getCheckId())
        .setExchangeId(check.getExchangeId())
        .setTenantId(check.getTenantId())
        .setEndUserId(check.getEndUserId())
        .setSource(VerdictSource.IN_FLIGHT)
        .setCheckKind(check.getKind())
        .setWindowIndex(check.getKind() == io.guardstream.avro.CheckKind.RESPONSE_WINDOW ? check.getWindowIndex() : null)
        .setModel(result.getString("model", "unknown"))
        .setRequest(label(result.getJsonObject("request")))
        .setResponse(label(result.getJsonObject("response")))
        .setRefusal(label(result.getJsonObject("refusal")))
        .setCategories(categories)
        .setReasoning(steps)
        .setLatencyMs(result.getDouble("latency_ms", 0.0))
        .setCreatedAt(Instant.now())
        .build();
  }

  private static LabelScore label(JsonObject node) {
    return node == null ? null : new LabelScore(node.getString("label"), node.getDouble("score", 0.0));
  }

  @Override
  public Future<Void> close() {
    return http.close();
  }
}

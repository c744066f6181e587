package io.guardstream.gateway.guard;

import io.guardstream.avro.CheckKind;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.VerdictSource;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.guardapi.GuardApiJson;
import io.guardstream.guardapi.GuardItem;
import io.guardstream.guardapi.GuardItems;
import io.guardstream.guardapi.GuardResult;
import io.guardstream.guardapi.VerdictFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    List<GuardItem> items = new ArrayList<>();
    Map<String, Waiting> byId = new HashMap<>();
    for (Waiting waiting : batch) {
      GuardCheck check = waiting.check();
      items.add(GuardItems.item(check.getCheckId(), check.getRequestMessages(), check.getResponseText(), check.getReasoning()));
      byId.put(check.getCheckId(), waiting);
    }
    Buffer body = Buffer.buffer(GuardApiJson.requestBody(items));
    http.request(batchRequest)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(bytes -> {
          if (resp.statusCode() != 200) {
            throw new GuardUnavailableException(GuardUnavailableException.Reason.GUARD_ERROR,
                "model server answered HTTP " + resp.statusCode());
          }
          return GuardApiJson.parseResults(bytes.getBytes());
        }))
        .onComplete(ar -> {
          if (ar.failed()) {
            GuardUnavailableException error = ar.cause() instanceof GuardUnavailableException e ? e
                : new GuardUnavailableException(GuardUnavailableException.Reason.TRANSPORT_ERROR,
                    "model server unreachable: " + ar.cause().getMessage());
            batch.forEach(w -> w.context().runOnContext(v -> w.promise().tryFail(error)));
            return;
          }
          for (GuardResult result : ar.result()) {
            Waiting waiting = byId.remove(result.id());
            if (waiting != null) {
              GuardVerdict verdict = VerdictFactory.fromResult(subject(waiting.check()), result, Instant.now());
              waiting.context().runOnContext(v -> waiting.promise().tryComplete(verdict));
            }
          }
          byId.values().forEach(w -> w.context().runOnContext(v -> w.promise().tryFail(new GuardUnavailableException(
              GuardUnavailableException.Reason.GUARD_ERROR, "model server returned no result for the check"))));
        });
  }

  private static VerdictFactory.Subject subject(GuardCheck check) {
    return new VerdictFactory.Subject("vf-" + check.getCheckId(), check.getCheckId(), check.getExchangeId(),
        check.getTenantId(), check.getEndUserId(), VerdictSource.IN_FLIGHT, check.getKind(),
        check.getKind() == CheckKind.RESPONSE_WINDOW ? check.getWindowIndex() : null);
  }

  @Override
  public Future<Void> close() {
    return http.close();
  }
}

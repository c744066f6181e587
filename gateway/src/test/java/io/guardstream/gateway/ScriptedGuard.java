package io.guardstream.gateway;

import io.guardstream.avro.ChatMessage;
import io.guardstream.avro.ContentPart;
import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.avro.LabelScore;
import io.guardstream.avro.VerdictSource;
import io.guardstream.gateway.guard.GuardClient;
import io.guardstream.gateway.guard.GuardUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A guard for the gateway's own tests (the real model server and checks app are other modules, tested
 * together in it-tests): requests mentioning a nerve agent and answers containing "STEP 3: MIX" are
 * harmful. It can be switched off to exercise fail-open and fail-closed, and records what it judged.
 */
final class ScriptedGuard implements GuardClient {

  private final Vertx vertx;
  final List<GuardCheck> judged = new CopyOnWriteArrayList<>();
  volatile boolean down;
  volatile long delayMs = 5;

  ScriptedGuard(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<GuardVerdict> judge(GuardCheck check, long timeoutMs) {
    judged.add(check);
    Promise<GuardVerdict> promise = Promise.promise();
    if (down) {
      vertx.setTimer(timeoutMs, t -> promise.tryFail(new GuardUnavailableException(GuardUnavailableException.Reason.TIMEOUT,
          "no verdict within " + timeoutMs + " ms")));
      return promise.future();
    }
    vertx.setTimer(Math.max(1, delayMs), t -> promise.complete(verdict(check)));
    return promise.future();
  }

  private static GuardVerdict verdict(GuardCheck check) {
    String request = requestText(check).toLowerCase(Locale.ROOT);
    boolean harmfulRequest = request.contains("nerve agent");
    String response = check.getResponseText();
    boolean harmfulResponse = response != null && response.contains("STEP 3: MIX");
    return GuardVerdict.newBuilder()
        .setVerdictId(UUID.randomUUID().toString()).setCheckId(check.getCheckId()).setExchangeId(check.getExchangeId())
        .setTenantId(check.getTenantId()).setSource(VerdictSource.IN_FLIGHT).setCheckKind(check.getKind())
        .setModel("scripted")
        .setRequest(new LabelScore(harmfulRequest ? "harmful" : "unharmful", harmfulRequest ? 0.97 : 0.02))
        .setResponse(response == null ? null : new LabelScore(harmfulResponse ? "harmful" : "unharmful", harmfulResponse ? 0.93 : 0.03))
        .setCategories(harmfulRequest || harmfulResponse ? Map.of("illicit", 0.9) : Map.of("illicit", 0.01))
        .setReasoning(List.of("1. scripted evidence", "Request: " + (harmfulRequest ? "harmful" : "unharmful")))
        .setCreatedAt(Instant.now())
        .build();
  }

  private static String requestText(GuardCheck check) {
    StringBuilder text = new StringBuilder();
    for (ChatMessage message : check.getRequestMessages()) {
      for (ContentPart part : message.getParts()) {
        if (part.getText() != null) {
          text.append(part.getText()).append('\n');
        }
      }
    }
    return text.toString();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}

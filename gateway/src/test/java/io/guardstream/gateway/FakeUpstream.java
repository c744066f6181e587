package io.guardstream.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A fake OpenAI-compatible VLM server. The request's {@code model} picks the behaviour:
 * {@code fake-stall} never answers, {@code fake-fail-mid} streams two chunks then drops the
 * connection, {@code fake-slow} streams a chunk every 50 ms for a minute, {@code fake-error}
 * answers 500 in OpenAI's error shape, {@code fake-429} answers 429 with Retry-After; anything else
 * answers plain JSON or SSE depending on {@code stream}. Every request is recorded.
 */
final class FakeUpstream {

  static final String PLAIN_BODY = "{\"id\":\"chatcmpl-fake1\",\"object\":\"chat.completion\",\"created\":1700000000,"
      + "\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
      + "\"Hello from the fake upstream \\u00e9\\u4e16\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":6,\"total_tokens\":15},\"system_fingerprint\":\"fp_x\"}";

  static final List<String> SSE_CHUNKS = List.of(
      ": keep-alive heartbeat\n\n",
      "data: {\"id\":\"chatcmpl-fake2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"fake-model\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
      "data: {\"id\":\"chatcmpl-fake2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"fake-model\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel",
      "lo \"},\"finish_reason\":null}]}\n\ndata: {\"id\":\"chatcmpl-fake2\",\"object\":\"chat.completion.chunk\","
          + "\"created\":1700000000,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"stream \u00e9\u4e16\"},"
          + "\"finish_reason\":null}]}\n\n",
      "data: {\"id\":\"chatcmpl-fake2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"fake-model\","
          + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
      "data: {\"id\":\"chatcmpl-fake2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"fake-model\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}\n\n",
      "data: [DONE]\n\n");

  static String sseBody() {
    return String.join("", SSE_CHUNKS);
  }

  record Received(String method, String uri, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  private final Vertx vertx;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch slowStreamClosed = new CountDownLatch(1);
  private volatile int slowChunksSent;
  private HttpServer server;

  FakeUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  int start() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  void stop() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }

  List<Received> received() {
    return received;
  }

  Received last() {
    return received.get(received.size() - 1);
  }

  void reset() {
    received.clear();
    slowStreamClosed = new CountDownLatch(1);
    slowChunksSent = 0;
  }

  boolean awaitSlowStreamClosed(long ms) throws InterruptedException {
    return slowStreamClosed.await(ms, TimeUnit.MILLISECONDS);
  }

  int slowChunksSent() {
    return slowChunksSent;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      received.add(new Received(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body));
      HttpServerResponse resp = req.response();
      if (req.path().endsWith("/models")) {
        resp.putHeader("content-type", "application/json")
            .end("{\"object\":\"list\",\"data\":[{\"id\":\"fake-model\",\"object\":\"model\",\"created\":0,\"owned_by\":\"fake\"}]}");
        return;
      }
      if (req.path().endsWith("/embeddings")) {
        resp.putHeader("content-type", "application/json").end("{\"object\":\"list\",\"data\":[],\"echo\":" + body.length() + "}");
        return;
      }
      JsonObject json = body.toJsonObject();
      String model = json.getString("model", "");
      switch (model) {
        case "fake-stall" -> {
        }
        case "fake-error" -> resp.setStatusCode(500).putHeader("content-type", "application/json")
            .end("{\"error\":{\"message\":\"upstream exploded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        case "fake-429" -> resp.setStatusCode(429).putHeader("content-type", "application/json").putHeader("retry-after", "7")
            .end("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
        case "fake-fail-mid" -> {
          resp.setChunked(true).putHeader("content-type", "text/event-stream");
          resp.write(SSE_CHUNKS.get(1));
          resp.write(SSE_CHUNKS.get(2) + SSE_CHUNKS.get(3));
          vertx.setTimer(100, t -> req.connection().close());
        }
        case "fake-slow" -> slowStream(req, resp);
        default -> {
          if (json.getBoolean("stream", false)) {
            resp.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache");
            writeChunks(resp, 0);
          } else {
            resp.putHeader("content-type", "application/json").putHeader("x-upstream-marker", "fake")
                .end(PLAIN_BODY);
          }
        }
      }
    });
  }

  private void writeChunks(HttpServerResponse resp, int i) {
    if (i == SSE_CHUNKS.size()) {
      resp.end();
      return;
    }
    resp.write(SSE_CHUNKS.get(i));
    vertx.setTimer(5, t -> writeChunks(resp, i + 1));
  }

  private void slowStream(HttpServerRequest req, HttpServerResponse resp) {
    CountDownLatch closed = slowStreamClosed;
    resp.setChunked(true).putHeader("content-type", "text/event-stream");
    resp.write(SSE_CHUNKS.get(1));
    long[] timer = {0};
    req.connection().closeHandler(v -> {
      vertx.cancelTimer(timer[0]);
      closed.countDown();
    });
    timer[0] = vertx.setPeriodic(50, t -> {
      if (slowChunksSent++ > 1200) {
        vertx.cancelTimer(t);
        resp.end();
        return;
      }
      resp.write("data: {\"id\":\"chatcmpl-slow\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
          + "\"model\":\"fake-slow\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tick \"},\"finish_reason\":null}]}\n\n");
    });
  }
}

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
 * {@code fake-stall} never answers, {@code fake-stall-mid} streams two chunks then falls silent (connection open),
 * {@code fake-stall-body} sends the head and 40 of 1000 declared bytes then falls silent, {@code fake-big-stream}
 * sends 32 MB of SSE at once (more than loopback socket buffers hold),
 * {@code fake-fail-mid} streams two chunks then drops the
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

  /** {@code fake-big-stream} sends this many events of about 4 KB at once, then {@code [DONE]}. */
  static final int BIG_STREAM_EVENTS = 8000;

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
        case "fake-429" -> resp.setStatusCode(429).setStatusMessage("Slow Down Please")
            .putHeader("content-type", "application/json").putHeader("retry-after", "7")
            .end("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
        case "fake-fail-mid" -> {
          resp.setChunked(true).putHeader("content-type", "text/event-stream");
          resp.write(SSE_CHUNKS.get(1));
          resp.write(SSE_CHUNKS.get(2) + SSE_CHUNKS.get(3));
          vertx.setTimer(100, t -> req.connection().close());
        }
        case "fake-stall-mid" -> {
          resp.setChunked(true).putHeader("content-type", "text/event-stream");
          resp.write(SSE_CHUNKS.get(1));
          resp.write(SSE_CHUNKS.get(2) + SSE_CHUNKS.get(3));
        }
        case "fake-stall-body" -> {
          resp.putHeader("content-type", "application/json").putHeader("content-length", "1000");
          resp.write(PLAIN_BODY.substring(0, 40));
        }
        case "fake-slow" -> slowStream(req, resp);
        case "fake-big-stream" -> {
          resp.setChunked(true).putHeader("content-type", "text/event-stream");
          String event = "data: {\"id\":\"chatcmpl-big\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
              + "\"model\":\"fake-big-stream\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "x".repeat(4000)
              + "\"},\"finish_reason\":null}]}\n\n";
          for (int i = 0; i < BIG_STREAM_EVENTS; i++) {
            resp.write(event);
          }
          resp.end("data: [DONE]\n\n");
        }
        case "fake-chunked-json" -> {
          resp.setChunked(true).putHeader("content-type", "application/json");
          resp.write(PLAIN_BODY.substring(0, 40));
          vertx.setTimer(20, t -> resp.end(PLAIN_BODY.substring(40)));
        }
        case "fake-short-body" -> {
          resp.putHeader("content-type", "application/json").putHeader("content-length", "1000");
          resp.write(PLAIN_BODY.substring(0, 40));
          vertx.setTimer(50, t -> req.connection().close());
        }
        case "fake-turns-harmful" -> {
          if (json.getBoolean("stream", false)) {
            resp.setChunked(true).putHeader("content-type", "text/event-stream");
            writeChunks(resp, storyChunks(), 0);
          } else {
            resp.putHeader("content-type", "application/json").end(plainAnswer(STORY_BENIGN_START + STORY_HARMFUL + STORY_BENIGN_END));
          }
        }
        case "fake-long-benign" -> {
          resp.setChunked(true).putHeader("content-type", "text/event-stream");
          writeChunks(resp, longBenignChunks(), 0);
        }
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
    writeChunks(resp, SSE_CHUNKS, i);
  }

  private void writeChunks(HttpServerResponse resp, List<String> chunks, int i) {
    if (i == chunks.size()) {
      resp.end();
      return;
    }
    resp.write(chunks.get(i));
    vertx.setTimer(2, t -> writeChunks(resp, chunks, i + 1));
  }

  /** A story that turns harmful halfway, streamed in small pieces; the harmful phrase spans chunk boundaries. */
  static final String STORY_BENIGN_START = "Once upon a time a chemist walked through a quiet garden, noting the roses, "
      + "the tulips and the old oak tree that shaded the pond where ducks swam in circles every afternoon. ";
  static final String STORY_HARMFUL = "STEP 3: MIX THE PRECURSORS AT 80 DEGREES. ";
  static final String STORY_BENIGN_END = "Then the sun set and everybody went home for dinner, happy and tired. The end.";

  static List<String> storyChunks() {
    return chunksOf("fake-turns-harmful", STORY_BENIGN_START + STORY_HARMFUL + STORY_BENIGN_END, 7);
  }

  static final String LONG_BENIGN = "The weather report says sunshine in the morning and light rain in the evening. ".repeat(8);

  static List<String> longBenignChunks() {
    return chunksOf("fake-long-benign", LONG_BENIGN, 11);
  }

  static String plainAnswer(String content) {
    return new JsonObject().put("id", "chatcmpl-plain").put("object", "chat.completion").put("created", 1700000000)
        .put("model", "fake-model").put("choices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", content)).put("finish_reason", "stop")))
        .encode();
  }

  private static List<String> chunksOf(String model, String text, int size) {
    List<String> chunks = new java.util.ArrayList<>();
    String prefix = "data: {\"id\":\"chatcmpl-" + model + "\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":";
    chunks.add(prefix + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
    for (int i = 0; i < text.length(); i += size) {
      String piece = text.substring(i, Math.min(text.length(), i + size));
      chunks.add(prefix + "{\"content\":" + new io.vertx.core.json.JsonArray().add(piece).encode().substring(1).replaceAll("]$", "")
          + "},\"finish_reason\":null}]}\n\n");
    }
    chunks.add(prefix + "{},\"finish_reason\":\"stop\"}]}\n\n");
    chunks.add("data: [DONE]\n\n");
    return chunks;
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

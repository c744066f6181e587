package io.guardstream.gateway.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A tiny OpenAI-compatible stand-in so the quickstart works offline. Every answer says plainly
 * that it comes from the GuardStream demo upstream, not from a model. Listens on loopback only.
 */
public final class DemoUpstream {

  public static final String MODEL = "guardstream-demo";
  public static final String LABEL = "[GuardStream demo upstream - not a real model]";

  private final Vertx vertx;
  private HttpServer server;

  public DemoUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts on an ephemeral loopback port; the future holds the OpenAI base URL ({@code http://127.0.0.1:P/v1}). */
  public Future<String> start() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").map(s -> "http://127.0.0.1:" + s.actualPort() + "/v1");
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    if (req.path().equals("/v1/models")) {
      req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("object", "list").put("data", new JsonArray().add(new JsonObject()
              .put("id", MODEL).put("object", "model").put("created", 0).put("owned_by", "guardstream"))).encode());
      return;
    }
    if (!req.path().equals("/v1/chat/completions")) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> answer(req, body)).onFailure(err -> req.response().setStatusCode(400).end());
  }

  private void answer(HttpServerRequest req, Buffer body) {
    JsonObject request;
    try {
      request = body.toJsonObject();
    } catch (RuntimeException e) {
      req.response().setStatusCode(400).end();
      return;
    }
    String model = request.getString("model", MODEL);
    String text = LABEL + " You said: " + lastUserText(request);
    String id = "chatcmpl-demo-" + Long.toHexString(System.nanoTime());
    long created = System.currentTimeMillis() / 1000;
    if (!request.getBoolean("stream", false)) {
      JsonObject completion = new JsonObject().put("id", id).put("object", "chat.completion").put("created", created)
          .put("model", model)
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
              .put("message", new JsonObject().put("role", "assistant").put("content", text))
              .put("finish_reason", "stop")))
          .put("usage", usage(text));
      req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(completion.encode());
      return;
    }
    var resp = req.response().setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    StringBuilder sse = new StringBuilder();
    sse.append(chunk(id, created, model, new JsonObject().put("role", "assistant").put("content", ""), null));
    for (String word : text.split("(?<= )")) {
      sse.append(chunk(id, created, model, new JsonObject().put("content", word), null));
    }
    sse.append(chunk(id, created, model, new JsonObject(), "stop"));
    JsonObject options = request.getJsonObject("stream_options");
    if (options != null && options.getBoolean("include_usage", false)) {
      sse.append("data: ").append(new JsonObject().put("id", id).put("object", "chat.completion.chunk")
          .put("created", created).put("model", model).put("choices", new JsonArray()).put("usage", usage(text))
          .encode()).append("\n\n");
    }
    sse.append("data: [DONE]\n\n");
    resp.end(sse.toString());
  }

  private static String chunk(String id, long created, String model, JsonObject delta, String finish) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish);
    return "data: " + new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model).put("choices", new JsonArray().add(choice)).encode() + "\n\n";
  }

  private static JsonObject usage(String text) {
    int completion = text.split("\\s+").length;
    return new JsonObject().put("prompt_tokens", 1).put("completion_tokens", completion).put("total_tokens", completion + 1);
  }

  private static String lastUserText(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    for (int i = messages.size() - 1; i >= 0; i--) {
      Object m = messages.getValue(i);
      if (!(m instanceof JsonObject message) || !"user".equals(message.getString("role"))) {
        continue;
      }
      Object content = message.getValue("content");
      if (content instanceof String s) {
        return s;
      }
      if (content instanceof JsonArray parts) {
        StringBuilder sb = new StringBuilder();
        int images = 0;
        for (Object p : parts) {
          if (p instanceof JsonObject part) {
            if ("text".equals(part.getString("type"))) {
              sb.append(part.getString("text", "")).append(' ');
            } else if ("image_url".equals(part.getString("type"))) {
              images++;
            }
          }
        }
        return sb.toString().trim() + (images > 0 ? " (+" + images + " image" + (images > 1 ? "s" : "") + ")" : "");
      }
    }
    return "";
  }
}

package io.guardstream.streams.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.guardstream.guardapi.GuardItem;
import io.guardstream.guardapi.GuardResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Stand-in for the model server at unit level: speaks {@code POST /v1/guard/batch} as documented, judging with
 * {@link ScriptedGuard#decide}. Can be switched to answer 503, and can add a fixed delay per call.
 */
public final class FakeGuardServer implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    /** The top-level {@code priority} of each call, {@code "(none)"} when the call had none. */
    public final List<String> priorities = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile int status;
    private volatile long delayMs;

    private FakeGuardServer(Vertx vertx) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createHttpServer().requestHandler(req -> {
            if (!req.path().equals("/v1/guard/batch")) {
                req.response().setStatusCode(404).end();
                return;
            }
            req.body().onSuccess(body -> {
                if (down || status != 0) {
                    req.response().setStatusCode(down ? 503 : status).end("{\"error\":\"refused\"}");
                    return;
                }
                JsonObject call = body.toJsonObject();
                JsonArray items = call.getJsonArray("items");
                batchSizes.add(items.size());
                priorities.add(call.getString("priority", "(none)"));
                JsonArray results = new JsonArray();
                for (int i = 0; i < items.size(); i++) {
                    results.add(result(items.getJsonObject(i)));
                }
                String answer = new JsonObject().put("results", results).encode();
                if (delayMs > 0) {
                    vertx.setTimer(delayMs, t -> req.response().putHeader("content-type", "application/json").end(answer));
                } else {
                    req.response().putHeader("content-type", "application/json").end(answer);
                }
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static FakeGuardServer start(Vertx vertx) throws Exception {
        return new FakeGuardServer(vertx);
    }

    private static JsonObject result(JsonObject item) {
        JsonObject response = item.getJsonObject("response");
        GuardItem guardItem = new GuardItem(item.getString("id"), item.getJsonObject("request").getString("text"), List.of(),
                response == null ? null : response.getString("text"));
        GuardResult r = ScriptedGuard.decide(guardItem);
        JsonObject categories = new JsonObject();
        r.categories().forEach(categories::put);
        return new JsonObject()
                .put("id", r.id()).put("model", r.model())
                .put("request", label(r.request()))
                .put("response", r.response() == null ? null : label(r.response()))
                .put("refusal", r.refusal() == null ? null : label(r.refusal()))
                .put("categories", categories)
                .put("reasoning", r.reasoning())
                .put("latency_ms", r.latencyMs());
    }

    private static JsonObject label(GuardResult.Label label) {
        return new JsonObject().put("label", label.label()).put("score", label.score());
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public FakeGuardServer down(boolean value) {
        this.down = value;
        return this;
    }

    /** Answer every call with this HTTP status (0: answer normally). */
    public FakeGuardServer status(int value) {
        this.status = value;
        return this;
    }

    public FakeGuardServer delayMs(long value) {
        this.delayMs = value;
        return this;
    }

    public List<Integer> batchSizes() {
        return new ArrayList<>(batchSizes);
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

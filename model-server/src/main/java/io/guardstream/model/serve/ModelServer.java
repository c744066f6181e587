package io.guardstream.model.serve;

import io.guardstream.model.GuardItem;
import io.guardstream.model.GuardModel;
import io.guardstream.model.GuardResult;
import io.guardstream.model.batch.BatcherStoppedException;
import io.guardstream.model.batch.DynamicBatcher;
import io.guardstream.model.batch.Lane;
import io.guardstream.model.batch.QueueFullException;
import io.guardstream.model.config.ModelServerConfig;
import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.BertEncoder;
import io.guardstream.model.encoder.Precision;
import io.guardstream.model.heads.Categories;
import io.guardstream.model.heads.GuardHeads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The guard model HTTP server: {@code POST /v1/guard}, {@code POST /v1/guard/batch}, {@code POST /v1/moderations},
 * {@code GET /health/ready}, {@code GET /metrics}.
 *
 * <p>{@link #start()} binds the port at once and loads the model on a worker thread; {@code /health/ready}
 * answers 200 only after the weights are loaded and a warm-up batch ran ({@link #ready()} completes then).
 * Model calls run on the batcher's worker threads, never on the event loop. Embedders (standalone) use:
 * <pre>{@code
 * ModelServer server = new ModelServer(vertx, ModelServerConfig.defaults());
 * server.start().compose(port -> server.ready());
 * ...
 * server.stop();
 * }</pre>
 */
public final class ModelServer {

    private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

    private final Vertx vertx;
    private final ModelServerConfig config;
    private final Supplier<GuardModel> loader;
    private final RequestParser parser;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Promise<Void> readyPromise = Promise.promise();
    private final Timer batchTimer;
    private final DistributionSummary batchSize;

    private volatile GuardModel model;
    private volatile DynamicBatcher<GuardItem, GuardResult> batcher;
    private volatile String notReadyReason = "model loading";
    private volatile boolean stopped;
    private HttpServer http;

    /** A server that loads the shipped (or configured) heads and the MiniLM encoder from the class path. */
    public ModelServer(Vertx vertx, ModelServerConfig config) {
        this(vertx, config, () -> loadModel(config));
    }

    /** A server whose model comes from {@code loader} (called once, on a worker thread). */
    public ModelServer(Vertx vertx, ModelServerConfig config, Supplier<GuardModel> loader) {
        this.vertx = vertx;
        this.config = config;
        this.loader = loader;
        this.parser = new RequestParser(config.limits(), config.model().reasoningByDefault());
        this.batchTimer = Timer.builder("guardstream_model_batch").description("model time per batch")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.batchSize = DistributionSummary.builder("guardstream_model_batch_size").register(metrics);
        for (Lane lane : Lane.values()) {
            Gauge.builder("guardstream_model_queue_depth", this, s -> s.batcher == null ? 0 : s.batcher.queued(lane))
                    .tag("lane", lane.wireName()).register(metrics);
        }
        Gauge.builder("guardstream_model_ready", this, s -> s.isReady() ? 1 : 0).register(metrics);
    }

    /**
     * Loads encoder and heads as configured; fails with a clear message when no trained heads exist or the heads file
     * was trained on another encoder than {@code model.encoder}.
     */
    public static GuardModel loadModel(ModelServerConfig config) {
        ModelServerConfig.Model m = config.model();
        BaseEncoder base = BaseEncoder.parse(m.encoder());
        GuardHeads heads;
        try {
            heads = m.headsPath() != null ? GuardHeads.read(Path.of(m.headsPath())) : GuardHeads.shipped(base);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read guard heads: " + e.getMessage(), e);
        }
        if (heads == null) {
            throw new IllegalStateException("no trained guard heads: " + GuardHeads.shippedResource(base)
                    + " is not on the class path and model.heads-path is unset (train them with TrainMain)");
        }
        if (heads.encoder() != base) {
            throw new IllegalStateException("model.heads-path " + m.headsPath() + " holds heads for the "
                    + heads.encoder().id() + " encoder; set model.encoder: " + heads.encoder().id());
        }
        int threads = m.intraOpThreads() > 0 ? m.intraOpThreads() : Runtime.getRuntime().availableProcessors();
        BertEncoder encoder = BertEncoder.load(heads.encoder(), threads, config.encoderSessions(), m.device(),
                Precision.parse(m.precision()), heads.adapter());
        return new GuardModel(encoder, heads, m.windowTokens(), m.overlapTokens(), m.encoderBatch(), m.reasoningSpans());
    }

    /** Binds the HTTP port and starts loading the model; completes with the bound port. */
    public Future<Integer> start() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(config.limits().maxBodyBytes()));
        router.post("/v1/guard").handler(this::guard);
        router.post("/v1/guard/batch").handler(this::guardBatch);
        router.post("/v1/moderations").handler(this::moderations);
        router.get("/health/ready").handler(this::healthReady);
        router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "live")));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        router.errorHandler(413, ctx -> fail(ctx, ApiException.invalid(null, "too_large",
                "request body exceeds " + config.limits().maxBodyBytes() + " bytes")));

        vertx.executeBlocking(() -> {
            GuardModel loaded = loader.get();
            loaded.warmUp();
            return loaded;
        }, false).onSuccess(this::onLoaded).onFailure(e -> {
            notReadyReason = "model failed to load: " + e.getMessage();
            LOG.error("model failed to load", e);
            readyPromise.tryFail(e);
        });

        return vertx.createHttpServer()
                .requestHandler(router)
                .listen(config.server().port(), config.server().host())
                .map(s -> {
                    http = s;
                    LOG.info("model server listening on {}:{}", config.server().host(), s.actualPort());
                    return s.actualPort();
                });
    }

    private void onLoaded(GuardModel loaded) {
        if (stopped) {
            loaded.close();
            return;
        }
        ModelServerConfig.Batching b = config.batching();
        Counter items = Counter.builder("guardstream_model_items_total").register(metrics);
        batcher = new DynamicBatcher<GuardItem, GuardResult>("guard",
                new DynamicBatcher.LaneLimits(b.maxBatch(), b.queueCapacity()),
                new DynamicBatcher.LaneLimits(b.backgroundMaxBatch(), b.backgroundQueueCapacity()),
                Duration.ofMillis(b.maxWaitMs()), b.workers(), b.backgroundWorkers(), loaded::check, (size, nanos) -> {
                    batchSize.record(size);
                    batchTimer.record(Duration.ofNanos(nanos));
                    items.increment(size);
                }).start();
        model = loaded;
        notReadyReason = null;
        LOG.info("model {} ready ({} encoder)", loaded.name(), loaded.precision());
        readyPromise.tryComplete();
    }

    /** Completes once the model is loaded and warmed up; fails when loading failed. */
    public Future<Void> ready() {
        return readyPromise.future();
    }

    public boolean isReady() {
        return notReadyReason == null && !stopped;
    }

    /** Why the server is not ready, or {@code null} when it is. */
    public String notReadyReason() {
        return stopped ? "stopped" : notReadyReason;
    }

    public int port() {
        return http == null ? -1 : http.actualPort();
    }

    public PrometheusMeterRegistry meterRegistry() {
        return metrics;
    }

    /** Closes the HTTP server, then the batcher (failing queued work) and the model. */
    public Future<Void> stop() {
        stopped = true;
        Future<Void> closed = http == null ? Future.succeededFuture() : http.close();
        return closed.compose(v -> vertx.executeBlocking(() -> {
            if (batcher != null) {
                batcher.close();
            }
            if (model != null) {
                model.close();
            }
            return null;
        }, false)).mapEmpty();
    }

    private void healthReady(RoutingContext ctx) {
        if (isReady()) {
            ctx.json(new JsonObject().put("status", "ready").put("model", model.name()));
        } else {
            ctx.response().setStatusCode(503)
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put("status", "not_ready").put("reason", notReadyReason()).encode());
        }
    }

    private void guard(RoutingContext ctx) {
        long t0 = System.nanoTime();
        try {
            JsonObject body = body(ctx);
            GuardItem item = parser.item(body, "");
            Lane lane = parser.priority(body);
            run(ctx, List.of(item), lane).onSuccess(r -> ctx.json(resultJson(r.get(0), t0))).onFailure(e -> fail(ctx, e));
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    private void guardBatch(RoutingContext ctx) {
        long t0 = System.nanoTime();
        try {
            JsonObject body = body(ctx);
            Lane lane = parser.priority(body);
            List<GuardItem> items = parser.batch(body);
            run(ctx, items, lane).onSuccess(results -> {
                JsonArray arr = new JsonArray();
                results.forEach(r -> arr.add(resultJson(r, t0)));
                ctx.json(new JsonObject().put("results", arr));
            }).onFailure(e -> fail(ctx, e));
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    private void moderations(RoutingContext ctx) {
        try {
            List<String> inputs = parser.moderationInputs(body(ctx));
            List<GuardItem> items = inputs.stream()
                    .map(t -> new GuardItem(UUID.randomUUID().toString(), new GuardItem.Request(t, List.of()), null, false))
                    .toList();
            run(ctx, items, Lane.INTERACTIVE).onSuccess(results -> {
                JsonArray arr = new JsonArray();
                GuardHeads heads = model.heads();
                for (GuardResult r : results) {
                    boolean flagged = "harmful".equals(r.request().label());
                    JsonObject cats = new JsonObject();
                    JsonObject scores = new JsonObject();
                    JsonObject applied = new JsonObject();
                    String top = null;
                    boolean any = false;
                    for (String c : Categories.TRAINED) {
                        float v = r.categories().get(c);
                        any |= v >= heads.categoryThreshold(c);
                        if (top == null || v > r.categories().get(top)) {
                            top = c;
                        }
                    }
                    for (Map.Entry<String, Float> c : r.categories().entrySet()) {
                        boolean trained = Categories.TRAINED.contains(c.getKey());
                        boolean passes = trained && (c.getValue() >= heads.categoryThreshold(c.getKey())
                                || (!any && c.getKey().equals(top)));
                        cats.put(c.getKey(), flagged && passes);
                        scores.put(c.getKey(), (double) c.getValue());
                        applied.put(c.getKey(), new JsonArray().add("text"));
                    }
                    arr.add(new JsonObject().put("flagged", flagged).put("categories", cats)
                            .put("category_scores", scores).put("category_applied_input_types", applied));
                }
                ctx.json(new JsonObject().put("id", "modr-" + UUID.randomUUID().toString().replace("-", ""))
                        .put("model", model.name()).put("results", arr));
            }).onFailure(e -> fail(ctx, e));
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    private Future<List<GuardResult>> run(RoutingContext ctx, List<GuardItem> items, Lane lane) {
        DynamicBatcher<GuardItem, GuardResult> b = batcher;
        if (!isReady() || b == null) {
            return Future.failedFuture(new ApiException(503, "server_error", "model_not_ready", null,
                    "model not ready: " + notReadyReason()));
        }
        CompletableFuture<List<GuardResult>> cf = b.submitAll(items, lane);
        return Future.fromCompletionStage(cf, ctx.vertx().getOrCreateContext());
    }

    private static JsonObject body(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
            throw ApiException.invalid(null, "missing_body", "request body must be a JSON object");
        }
        try {
            Object v = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
            if (!(v instanceof JsonObject o)) {
                throw ApiException.invalid(null, "invalid_type", "request body must be a JSON object");
            }
            return o;
        } catch (DecodeException e) {
            throw ApiException.invalid(null, "invalid_json", "request body is not valid JSON");
        }
    }

    static JsonObject resultJson(GuardResult r, long t0) {
        JsonObject cats = new JsonObject();
        r.categories().forEach((k, v) -> cats.put(k, round(v)));
        return new JsonObject()
                .put("id", r.id())
                .put("model", r.model())
                .put("request", verdict(r.request()))
                .put("response", r.response() == null ? null : verdict(r.response()))
                .put("refusal", r.refusal() == null ? null : verdict(r.refusal()))
                .put("categories", cats)
                .put("reasoning", r.reasoning())
                .put("latency_ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private static JsonObject verdict(GuardResult.Verdict v) {
        return new JsonObject().put("label", v.label()).put("score", round(v.score()));
    }

    private static double round(float v) {
        return Math.round(v * 10000.0) / 10000.0;
    }

    private void fail(RoutingContext ctx, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        ApiException api;
        if (cause instanceof ApiException a) {
            api = a;
        } else if (cause instanceof QueueFullException q) {
            ctx.response().putHeader("Retry-After", Integer.toString(q.retryAfterSeconds()));
            api = new ApiException(503, "server_error", "overloaded", null, q.getMessage());
        } else if (cause instanceof BatcherStoppedException s) {
            api = new ApiException(503, "server_error", "shutting_down", null, s.getMessage());
        } else {
            LOG.error("guard request failed", cause);
            api = new ApiException(500, "server_error", "internal_error", null, "internal error: " + cause.getMessage());
        }
        Counter.builder("guardstream_model_errors_total").tag("code", String.valueOf(api.code())).register(metrics)
                .increment();
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(api.status()).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", new JsonObject()
                        .put("message", api.getMessage())
                        .put("type", api.type())
                        .put("param", api.param())
                        .put("code", api.code())).encode());
    }
}

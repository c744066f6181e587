package io.guardstream.avro.registry;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the Confluent REST subset GuardStream needs, stored in a compacted Kafka
 * topic so ids survive restarts. Every store operation runs on one ordered worker, so registrations
 * are serialised without blocking the event loop. Meant for one instance per Kafka cluster (standalone
 * mode); a scaled-out deployment uses Confluent Schema Registry, Apicurio, Karapace or Redpanda instead.
 *
 * <p>Routes: {@code GET /subjects}, {@code GET /subjects/{s}/versions}, {@code GET /subjects/{s}/versions/{v|latest}},
 * {@code POST /subjects/{s}/versions}, {@code POST /subjects/{s}}, {@code GET /schemas/ids/{id}},
 * {@code POST /compatibility/subjects/{s}/versions/latest}, {@code GET|PUT /config} and {@code GET|PUT /config/{s}}.
 */
public final class EmbeddedSchemaRegistry {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int DEFAULT_PORT = 8081;
    public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

    private final Vertx vertx;
    private final KafkaSchemaJournal journal;
    private final SchemaStore store;
    private final WorkerExecutor worker;
    private HttpServer server;

    private EmbeddedSchemaRegistry(Vertx vertx, String bootstrapServers, String topic) {
        this.vertx = vertx;
        this.journal = new KafkaSchemaJournal(bootstrapServers, topic);
        this.store = new SchemaStore(journal);
        this.worker = vertx.createSharedWorkerExecutor("guardstream-schema-registry", 1);
    }

    /** Replays the schema topic, then listens on {@code host:port} (port 0 picks a free one). */
    public static Future<EmbeddedSchemaRegistry> start(Vertx vertx, String bootstrapServers, String topic, String host, int port) {
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(vertx, bootstrapServers, topic);
        return registry.worker.executeBlocking(() -> {
                    registry.journal.replayInto(registry.store);
                    return null;
                }, true)
                .compose(ignored -> vertx.createHttpServer().requestHandler(registry.router()).listen(port, host))
                .map(server -> {
                    registry.server = server;
                    log.info("Embedded schema registry listening on http://{}:{} (topic {})", host, server.actualPort(), topic);
                    return registry;
                })
                .onFailure(e -> registry.releaseResources());
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public Future<Void> close() {
        Future<Void> closing = server == null ? Future.succeededFuture() : server.close();
        return closing.eventually(() -> {
            releaseResources();
            return Future.succeededFuture();
        });
    }

    private void releaseResources() {
        worker.close();
        journal.close();
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.get("/").handler(ctx -> reply(ctx, 200, new JsonObject()));
        router.get("/subjects").handler(ctx -> run(ctx, () -> new JsonArray(store.subjects())));
        router.get("/subjects/:subject/versions").handler(ctx ->
                run(ctx, () -> new JsonArray(store.versions(ctx.pathParam("subject")))));
        router.get("/subjects/:subject/versions/:version").handler(ctx -> run(ctx, () -> {
            String subject = ctx.pathParam("subject");
            String version = ctx.pathParam("version");
            return describe("latest".equals(version) ? store.latest(subject) : store.version(subject, versionNumber(version)));
        }));
        router.post("/subjects/:subject/versions").handler(ctx -> run(ctx, () ->
                new JsonObject().put("id", store.register(ctx.pathParam("subject"), schemaText(ctx)).id())));
        router.post("/subjects/:subject").handler(ctx -> run(ctx, () ->
                describe(store.lookup(ctx.pathParam("subject"), schemaText(ctx)))));
        router.get("/schemas/ids/:id").handler(ctx -> run(ctx, () ->
                new JsonObject().put("schema", store.byId(idNumber(ctx.pathParam("id"))).toString())));
        router.post("/compatibility/subjects/:subject/versions/latest").handler(ctx -> run(ctx, () ->
                new JsonObject().put("is_compatible", store.isCompatible(ctx.pathParam("subject"), schemaText(ctx)))));
        router.get("/config").handler(ctx -> run(ctx, () ->
                new JsonObject().put("compatibilityLevel", store.globalLevel().name())));
        router.put("/config").handler(ctx -> run(ctx, () -> {
            CompatibilityLevel level = levelFrom(ctx);
            store.setLevel(null, level);
            return new JsonObject().put("compatibility", level.name());
        }));
        router.get("/config/:subject").handler(ctx -> run(ctx, () -> {
            boolean defaultToGlobal = Boolean.parseBoolean(ctx.queryParams().get("defaultToGlobal"));
            CompatibilityLevel level = store.subjectLevel(ctx.pathParam("subject"))
                    .or(() -> defaultToGlobal ? java.util.Optional.of(store.globalLevel()) : java.util.Optional.empty())
                    .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_CONFIG_NOT_FOUND,
                            "Subject '" + ctx.pathParam("subject") + "' does not have subject-level compatibility configured"));
            return new JsonObject().put("compatibilityLevel", level.name());
        }));
        router.put("/config/:subject").handler(ctx -> run(ctx, () -> {
            CompatibilityLevel level = levelFrom(ctx);
            store.setLevel(ctx.pathParam("subject"), level);
            return new JsonObject().put("compatibility", level.name());
        }));
        router.route().last().handler(ctx -> error(ctx, 404, 404, "HTTP 404 Not Found"));
        router.errorHandler(413, ctx -> error(ctx, 413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes"));
        return router;
    }

    private void run(RoutingContext ctx, Callable<Object> operation) {
        worker.executeBlocking(operation, true).onComplete(result -> {
            if (result.succeeded()) {
                reply(ctx, 200, result.result());
            } else if (result.cause() instanceof SchemaRegistryException e && e.status() > 0) {
                error(ctx, e.status(), e.errorCode(), messageOf(e));
            } else if (result.cause() instanceof BadRequest e) {
                error(ctx, e.status, e.errorCode, e.getMessage());
            } else {
                log.error("Schema registry request {} {} failed", ctx.request().method(), ctx.request().path(), result.cause());
                error(ctx, 500, SchemaRegistryException.STORE_ERROR, "Internal error: " + result.cause().getMessage());
            }
        });
    }

    private static JsonObject describe(RegisteredSchema registered) {
        return new JsonObject().put("subject", registered.subject()).put("version", registered.version())
                .put("id", registered.id()).put("schema", registered.schema().toString());
    }

    private static String schemaText(RoutingContext ctx) {
        JsonNode body = jsonBody(ctx);
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new BadRequest(422, SchemaRegistryException.INVALID_SCHEMA, "Only AVRO schemas are supported, not " + type);
        }
        if (!body.path("schema").isTextual()) {
            throw new BadRequest(422, SchemaRegistryException.INVALID_SCHEMA, "Body must be {\"schema\": \"<schema JSON as a string>\"}");
        }
        return body.get("schema").asText();
    }

    private static CompatibilityLevel levelFrom(RoutingContext ctx) {
        JsonNode body = jsonBody(ctx);
        JsonNode level = body.has("compatibility") ? body.get("compatibility") : body.get("compatibilityLevel");
        if (level == null || !level.isTextual()) {
            throw new BadRequest(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, "Body must be {\"compatibility\": \"BACKWARD\"}");
        }
        return CompatibilityLevel.parse(level.asText());
    }

    private static JsonNode jsonBody(RoutingContext ctx) {
        try {
            String text = ctx.body().asString();
            JsonNode node = text == null || text.isBlank() ? null : JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new BadRequest(400, 400, "Request body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest(400, 400, "Malformed JSON body: " + e.getOriginalMessage());
        }
    }

    private static int versionNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(422, 42202, "Invalid version: " + text);
        }
    }

    private static int idNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
        }
    }

    private static String messageOf(SchemaRegistryException e) {
        String message = e.getMessage();
        int suffix = message.lastIndexOf(" (HTTP ");
        return suffix > 0 ? message.substring(0, suffix) : message;
    }

    private static void reply(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE)
                .end(body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode());
    }

    private static void error(RoutingContext ctx, int status, int errorCode, String message) {
        reply(ctx, status, new JsonObject().put("error_code", errorCode).put("message", message));
    }

    private static final class BadRequest extends RuntimeException {
        private final int status;
        private final int errorCode;

        BadRequest(int status, int errorCode, String message) {
            super(message);
            this.status = status;
            this.errorCode = errorCode;
        }
    }
}

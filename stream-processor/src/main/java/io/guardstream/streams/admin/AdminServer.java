package io.guardstream.streams.admin;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.guardstream.avro.Alert;
import io.guardstream.streams.alerts.AlertHub;
import io.guardstream.streams.alerts.AlertJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream processor's admin HTTP API.
 * <ul>
 *   <li>{@code GET /v1/alerts/stream[?tenant=]}: server-sent events, one {@code alert} event per alert, heartbeats every 15 s;</li>
 *   <li>{@code GET /v1/stats/tenants/{tenant}}: counts from the audit app's stores, forwarded to the instance owning the tenant;</li>
 *   <li>{@code GET /health}: liveness.</li>
 * </ul>
 * Every {@code /v1} call needs {@code Authorization: Bearer <token>} (or {@code ?access_token=}): the admin token
 * sees every tenant, a tenant token only its own.
 */
public final class AdminServer {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    static final String PRINCIPAL = "guardstream.principal";
    static final String FORWARDED_HEADER = "x-guardstream-forwarded";
    private static final long HEARTBEAT_MS = 15_000;

    private final Vertx vertx;
    private final TokenAuth auth;
    private final AlertHub hub;
    private final Supplier<TenantStats> stats;
    private final WebClient forwarder;
    private final AtomicLong droppedSseEvents = new AtomicLong();
    private HttpServer server;

    /** @param stats null-returning while the audit app is not running */
    public AdminServer(Vertx vertx, TokenAuth auth, AlertHub hub, Supplier<TenantStats> stats) {
        this.vertx = vertx;
        this.auth = auth;
        this.hub = hub;
        this.stats = stats;
        this.forwarder = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000).setUserAgent("guardstream-admin"));
    }

    public Future<AdminServer> start(String host, int port) {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
        router.route("/v1/*").handler(this::authenticate);
        router.get("/v1/alerts/stream").handler(this::alertStream);
        router.get("/v1/stats/tenants/:tenant").handler(this::tenantStats);
        return vertx.createHttpServer().requestHandler(router).listen(port, host).map(s -> {
            this.server = s;
            log.info("Admin API listening on {}:{}", host, s.actualPort());
            return this;
        });
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    public long droppedSseEvents() {
        return droppedSseEvents.get();
    }

    public Future<Void> close() {
        forwarder.close();
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void authenticate(RoutingContext ctx) {
        String token = TokenAuth.tokenOf(ctx.request().getHeader("authorization"), ctx.request().getParam("access_token"));
        Optional<TokenAuth.Principal> principal = auth.authenticate(token);
        if (principal.isEmpty()) {
            ctx.response().putHeader("www-authenticate", "Bearer");
            error(ctx, 401, "missing or invalid token");
            return;
        }
        ctx.put(PRINCIPAL, principal.get());
        ctx.next();
    }

    private void alertStream(RoutingContext ctx) {
        TokenAuth.Principal principal = ctx.get(PRINCIPAL);
        String requested = ctx.request().getParam("tenant");
        String tenant = requested != null ? requested : principal.tenant();
        if (tenant != null && !principal.maySee(tenant)) {
            error(ctx, 403, "token may not see tenant " + tenant);
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        response.write(": guardstream alerts" + (tenant == null ? "" : " for " + tenant) + "\n\n");
        Context context = vertx.getOrCreateContext();
        AlertHub.Subscription subscription = hub.subscribe(tenant, alert -> context.runOnContext(v -> send(response, alert)));
        long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> {
            if (!response.writeQueueFull()) {
                response.write(": keep-alive\n\n");
            }
        });
        response.closeHandler(v -> {
            hub.unsubscribe(subscription);
            vertx.cancelTimer(heartbeat);
        });
    }

    private void send(HttpServerResponse response, Alert alert) {
        if (response.closed() || response.ended()) {
            return;
        }
        if (response.writeQueueFull()) {
            droppedSseEvents.incrementAndGet();
            return;
        }
        response.write("event: alert\nid: " + alert.getAlertId() + "\ndata: " + AlertJson.toJson(alert).encode() + "\n\n");
    }

    private void tenantStats(RoutingContext ctx) {
        TokenAuth.Principal principal = ctx.get(PRINCIPAL);
        String tenant = ctx.pathParam("tenant");
        if (!principal.maySee(tenant)) {
            error(ctx, 403, "token may not see tenant " + tenant);
            return;
        }
        TenantStats service = stats.get();
        if (service == null) {
            error(ctx, 503, "audit app is not running on this instance");
            return;
        }
        TenantStats.Owner owner;
        try {
            owner = service.owner(tenant);
        } catch (RuntimeException e) {
            error(ctx, 503, "stores not queryable yet: " + e.getMessage());
            return;
        }
        boolean forwarded = ctx.request().getHeader(FORWARDED_HEADER) != null;
        if (owner instanceof TenantStats.Remote remote && !forwarded) {
            forward(ctx, remote, tenant);
        } else if (owner instanceof TenantStats.Unavailable || owner instanceof TenantStats.Remote) {
            error(ctx, 503, "stats for tenant " + tenant + " are not available (rebalancing)");
        } else {
            vertx.executeBlocking(() -> service.localStats(tenant))
                    .onSuccess(ctx::json)
                    .onFailure(e -> error(ctx, 503, "stores not queryable: " + e.getMessage()));
        }
    }

    private void forward(RoutingContext ctx, TenantStats.Remote remote, String tenant) {
        forwarder.get(remote.port(), remote.host(), "/v1/stats/tenants/" + encode(tenant))
                .timeout(5_000)
                .putHeader("authorization", "Bearer " + TokenAuth.tokenOf(ctx.request().getHeader("authorization"), ctx.request().getParam("access_token")))
                .putHeader(FORWARDED_HEADER, "1")
                .send()
                .onSuccess(r -> ctx.response().setStatusCode(r.statusCode())
                        .putHeader("content-type", "application/json")
                        .putHeader("x-guardstream-served-by", remote.host() + ":" + remote.port())
                        .end(r.bodyAsBuffer() == null ? io.vertx.core.buffer.Buffer.buffer() : r.bodyAsBuffer()))
                .onFailure(e -> error(ctx, 502, "owner instance " + remote.host() + ":" + remote.port() + " unreachable: " + e.getMessage()));
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void error(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("status", status).put("message", message)).encode());
    }
}

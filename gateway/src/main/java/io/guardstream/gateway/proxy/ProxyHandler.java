package io.guardstream.gateway.proxy;

import io.guardstream.gateway.auth.ApiKeyAuthenticator;
import io.guardstream.gateway.auth.Principal;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.errors.ApiError;
import io.guardstream.gateway.errors.ErrorMapper;
import io.guardstream.gateway.exchange.ExchangeAssembler;
import io.guardstream.gateway.limits.ChatRequestValidator;
import io.guardstream.gateway.limits.TokenBucketRateLimiter;
import io.guardstream.gateway.metrics.GatewayMetrics;
import io.guardstream.gateway.publish.ExchangePublisher;
import io.guardstream.gateway.sse.SseChunkParser;
import io.guardstream.gateway.sse.SseEventSplitter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's request handler. A chat completion reads top to bottom as one Future chain:
 * authenticate, rate-limit, read the body under its cap, validate, run request stages, forward,
 * relay the answer through the response stages, publish the exchange. Every failure ends in
 * {@link #fail} which answers in OpenAI's error shape.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  static final int MAX_SSE_LINE_BYTES = 4 * 1024 * 1024;
  static final String CHAT_PATH = "/v1/chat/completions";
  private static final int MAX_COLLECTED_BODY_BYTES = 8 * 1024 * 1024;

  private final GatewayConfig config;
  private final UpstreamRouter router;
  private final Admission admission;
  private final ChatRequestValidator validator;
  private final ExchangePublisher publisher;
  private final ExchangeRecorder recorder;
  private final GatewayMetrics metrics;
  private final PrometheusMeterRegistry prometheus;
  private final List<RequestStage> requestStages;
  private final ResponseStagePipeline responseStages;
  private final Set<String> passthroughPaths;
  private final ReadDeadlines deadlines;
  private final PassthroughProxy passthrough;

  /** Built on the event loop it will serve: its read deadlines are swept there. */
  ProxyHandler(Vertx vertx, GatewayConfig config, UpstreamRouter router, Shared shared) {
    this.config = config;
    this.router = router;
    this.admission = new Admission(shared.authenticator(), shared.rateLimiter());
    this.validator = shared.validator();
    this.publisher = shared.publisher();
    this.recorder = new ExchangeRecorder(vertx, shared.publisher(), shared.assembler());
    this.metrics = shared.metrics();
    this.prometheus = shared.prometheus();
    this.requestStages = shared.requestStages();
    this.responseStages = new ResponseStagePipeline(shared.responseStages());
    this.passthroughPaths = Set.copyOf(config.passthrough);
    this.deadlines = new ReadDeadlines(vertx, router.shortestReadTimeoutMs());
    this.passthrough = new PassthroughProxy(router, admission, deadlines);
  }

  void close() {
    deadlines.close();
  }

  /** What all event-loop instances of the handler share; every member is thread-safe. */
  public record Shared(ApiKeyAuthenticator authenticator, TokenBucketRateLimiter rateLimiter,
                       ChatRequestValidator validator, ExchangeAssembler assembler, ExchangePublisher publisher,
                       GatewayMetrics metrics, PrometheusMeterRegistry prometheus,
                       List<RequestStage> requestStages, List<ResponseStage> responseStages) {
  }

  @Override
  public void handle(HttpServerRequest req) {
    String exchangeId = newExchangeId();
    HttpServerResponse resp = req.response();
    resp.putHeader(Headers.EXCHANGE_ID, exchangeId);
    String path = req.path();
    String route = routeName(path);
    resp.endHandler(v -> metrics.request(route, resp.getStatusCode()));
    switch (path) {
      case "/health/live" -> json(resp, 200, new JsonObject().put("status", "UP"));
      case "/health/ready" -> {
        boolean ready = publisher.ready();
        json(resp, ready ? 200 : 503, new JsonObject().put("status", ready ? "UP" : "DOWN"));
      }
      case "/metrics" -> resp.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
          .end(prometheus.scrape());
      case CHAT_PATH -> {
        if (req.method() != HttpMethod.POST) {
          fail(req, new ApiError(405, "invalid_request_error", "method_not_allowed", null, "Use POST " + CHAT_PATH));
        } else {
          chat(req, exchangeId);
        }
      }
      default -> {
        if (path.equals("/v1/models") && req.method() == HttpMethod.GET || passthroughPaths.contains(path)) {
          passthrough.handle(req);
        } else {
          fail(req, ApiError.notFound("Unknown path " + path));
        }
      }
    }
  }

  /** A random (version 4) UUID without SecureRandom's cost; ids need uniqueness, not secrecy. */
  static String newExchangeId() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  private static String routeName(String path) {
    return switch (path) {
      case CHAT_PATH -> "chat";
      case "/v1/models" -> "models";
      case "/health/live", "/health/ready" -> "health";
      case "/metrics" -> "metrics";
      default -> path.startsWith("/v1/") ? "passthrough" : "other";
    };
  }

  // ---- chat completions -------------------------------------------------------------------

  private void chat(HttpServerRequest req, String exchangeId) {
    Principal principal = admission.admit(req);
    if (principal == null) {
      return;
    }
    if (!publisher.accepting()) {
      RequestBodies.discardThen(req, () -> fail(req, ApiError.unavailable("exchange_spool_full",
          "The gateway cannot record exchanges right now; retry later")));
      return;
    }
    ExchangeContext ctx = new ExchangeContext(exchangeId, req, config.exchanges.maxResponseTextChars);
    ctx.principal = principal;
    HttpServerResponse resp = req.response();
    resp.closeHandler(v -> {
      if (!resp.ended()) {
        ctx.clientGone = true;
        if (ctx.errorCode == null) {
          ctx.errorType = "client_closed_request";
          ctx.errorCode = "client_disconnected";
          ctx.errorMessage = "Client disconnected before the answer completed";
        }
        HttpClientRequest upstreamRequest = ctx.upstreamRequest;
        if (upstreamRequest != null) {
          upstreamRequest.reset();
        }
      }
    });

    RequestBodies.read(req, config.limits.maxBodyBytes)
        .map(body -> {
          ctx.requestBytes = body.length();
          ctx.chatRequest = validator.validate(req.getHeader(HttpHeaders.CONTENT_TYPE), body.getBytes());
          ctx.stream = ctx.chatRequest.stream();
          ctx.body = body;
          return ctx;
        })
        .compose(this::runRequestStagesThenForward)
        .onFailure(err -> {
          ApiError error = ErrorMapper.toApiError(err);
          if (error.status() >= 500) {
            LOG.warn("exchange {} failed: {}", exchangeId, err.toString());
          }
          ctx.status = error.status();
          ctx.errorType = error.type();
          ctx.errorCode = error.code();
          ctx.errorMessage = error.getMessage();
          fail(req, error);
          complete(ctx);
        });
  }

  private Future<Void> runRequestStagesThenForward(ExchangeContext ctx) {
    if (requestStages.isEmpty()) {
      return forward(ctx);
    }
    Future<Void> chain = Future.succeededFuture();
    for (RequestStage stage : requestStages) {
      chain = chain.compose(v -> ctx.clientGone ? Future.failedFuture(clientGone()) : stage.onRequest(ctx));
    }
    return chain.compose(v -> forward(ctx));
  }

  private Future<Void> forward(ExchangeContext ctx) {
    if (ctx.clientGone) {
      return Future.failedFuture(clientGone());
    }
    Upstream upstream = router.route(ctx.chatRequest.model());
    if (upstream == null) {
      return Future.failedFuture(ApiError.badGateway("No upstream is configured for this model"));
    }
    ctx.upstreamName = upstream.name();
    ctx.upstreamUrl = upstream.displayUrl();
    HttpServerRequest req = ctx.request();
    long start = System.nanoTime();
    return upstream.request(HttpMethod.POST, req.uri())
        .compose(creq -> {
          ctx.upstreamRequest = creq;
          if (ctx.clientGone) {
            creq.reset();
            return Future.failedFuture(clientGone());
          }
          Headers.copyToUpstream(req.headers(), creq.headers());
          if (upstream.authorization() != null) {
            creq.putHeader(HttpHeaders.AUTHORIZATION, upstream.authorization());
          }
          ctx.readDeadline = upstream.watchReads(deadlines, creq);
          Future<Void> gate = ctx.responseGate();
          if (gate.succeeded()) {
            return creq.send(ctx.body);
          }
          gate.onFailure(blocked -> creq.reset());
          return creq.send(ctx.body).transform(sent -> {
            if (sent.succeeded()) {
              sent.result().pause();
              ctx.readDeadline.held(true);
              return gate.map(sent.result()).onFailure(blocked -> sent.result().resume());
            }
            return gate.failed() ? Future.failedFuture(gate.cause()) : Future.failedFuture(sent.cause());
          });
        })
        .compose(cresp -> {
          ctx.readDeadline.held(false);
          ctx.upstreamFirstByteNanos = System.nanoTime();
          metrics.upstreamLatency(upstream.name(), ctx.upstreamFirstByteNanos - start);
          if (ctx.clientGone) {
            return Future.failedFuture(clientGone());
          }
          relay(ctx, cresp);
          return Future.succeededFuture();
        });
  }

  private void relay(ExchangeContext ctx, HttpClientResponse cresp) {
    HttpServerResponse resp = ctx.request().response();
    boolean staged = !responseStages.isEmpty();
    String contentType = cresp.getHeader(HttpHeaders.CONTENT_TYPE);
    boolean sse = contentType != null && contentType.toLowerCase().startsWith("text/event-stream");
    ctx.status = cresp.statusCode();
    resp.setStatusCode(cresp.statusCode());
    String reason = cresp.statusMessage();
    // a standard reason phrase is left to Vert.x, whose cached status line costs no encoding per answer
    if (reason != null && !reason.equals(HttpResponseStatus.valueOf(cresp.statusCode()).reasonPhrase())) {
      resp.setStatusMessage(reason);
    }
    Headers.copyToClient(cresp.headers(), resp.headers(), !staged);
    long declaredLength = declaredLength(cresp);
    if (!sse && !staged && declaredLength >= 0 && declaredLength <= MAX_COLLECTED_BODY_BYTES) {
      relayWhole(ctx, cresp, resp, declaredLength);
      return;
    }
    if (!resp.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      resp.setChunked(true);
    }

    Consumer<Buffer> tap;
    Function<Buffer, Future<Buffer>> transform = null;
    Supplier<Future<Buffer>> onEnd;
    Function<Throwable, Buffer> onFailure;
    if (sse) {
      SseChunkParser parser = new SseChunkParser(ctx.summary(), MAX_SSE_LINE_BYTES, () -> {
        ctx.firstTokenNanos = System.nanoTime();
        metrics.timeToFirstToken(ctx.upstreamName, ctx.firstTokenNanos - ctx.receivedNanos());
      });
      tap = chunk -> {
        ctx.responseBytes += chunk.length();
        metrics.streamedBytes(chunk.length());
        parser.feed(chunk);
      };
      onEnd = () -> {
        parser.finish();
        return staged ? responseStages.streamEnd(ctx) : Future.succeededFuture(Buffer.buffer());
      };
      if (staged) {
        SseEventSplitter splitter = new SseEventSplitter(MAX_SSE_LINE_BYTES);
        transform = chunk -> responseStages.events(ctx, splitter.feed(chunk));
      }
      onFailure = failure -> {
        if (ctx.clientGone) {
          return null;
        }
        ApiError error = ErrorMapper.toApiError(failure);
        LOG.warn("exchange {}: upstream stream failed: {}", ctx.exchangeId(), failure.toString());
        ctx.errorType = error.type();
        ctx.errorCode = ApiError.UPSTREAM_TIMEOUT.equals(error.code()) ? error.code() : "upstream_stream_error";
        ctx.errorMessage = error.getMessage() + " mid-stream";
        JsonObject body = new ApiError(error.status(), error.type(), ctx.errorCode, null, ctx.errorMessage).toJson();
        return Buffer.buffer((parser.midLine() ? "\n\n" : "") + "data: " + body.encode() + "\n\n");
      };
    } else {
      Buffer collected = Buffer.buffer();
      boolean[] overflow = {false};
      boolean collect = staged || recorder.wantsExchanges();
      tap = chunk -> {
        ctx.responseBytes += chunk.length();
        if (collect && !overflow[0] && collected.length() + chunk.length() <= MAX_COLLECTED_BODY_BYTES) {
          collected.appendBuffer(chunk);
        } else {
          overflow[0] = true;
        }
      };
      if (staged) {
        transform = chunk -> Future.succeededFuture(Buffer.buffer());
      }
      onEnd = () -> {
        if (!overflow[0] && recorder.wantsExchanges()) {
          ExchangeRecorder.summarize(ctx, collected);
        }
        return staged && !overflow[0] ? responseStages.body(ctx, collected) : Future.succeededFuture(Buffer.buffer());
      };
      onFailure = null;
    }

    RelayStream relay = new RelayStream(cresp, tap, transform, onEnd, onFailure, ctx::stopRequested, () -> {
      HttpClientRequest creq = ctx.upstreamRequest;
      if (creq != null) {
        creq.reset();
      }
    }, ctx.readDeadline);
    relay.pipe().endOnFailure(false).to(resp).onComplete(ar -> {
      if (ar.succeeded()) {
        metrics.responseBytes(ctx.responseBytes);
      } else {
        relayFailed(ctx, resp, ar.cause());
      }
      complete(ctx);
    });
  }

  /** The answer's declared {@code content-length}, or -1 when it has none or an unreadable one. */
  private static long declaredLength(HttpClientResponse cresp) {
    String length = cresp.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return -1;
    }
    try {
      return Math.max(-1, Long.parseLong(length.trim()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * A non-streamed answer of declared, bounded length with nothing to moderate: read whole and answered with one
   * write, which costs the event loop less than a pipe with backpressure (the length bound keeps memory bounded).
   */
  private void relayWhole(ExchangeContext ctx, HttpClientResponse cresp, HttpServerResponse resp, long length) {
    readWhole(cresp, length, ctx.readDeadline).onComplete(ar -> {
      if (ar.succeeded()) {
        Buffer body = ar.result();
        ctx.responseBytes = body.length();
        if (recorder.wantsExchanges()) {
          ExchangeRecorder.summarize(ctx, body);
        }
        resp.end(body);
        metrics.responseBytes(ctx.responseBytes);
      } else {
        relayFailed(ctx, resp, ar.cause());
      }
      complete(ctx);
    });
  }

  /** {@code cresp.body()}, showing each chunk to the read deadline so that a slow but live body is not cut. */
  private static Future<Buffer> readWhole(HttpClientResponse cresp, long length, ReadDeadlines.Watch deadline) {
    Promise<Buffer> promise = Promise.promise();
    // a declared length sizes the buffer only up to 64 KiB, as for request bodies
    Buffer body = Buffer.buffer((int) Math.min(length, 64 * 1024));
    cresp.handler(chunk -> {
      deadline.data();
      body.appendBuffer(chunk);
    });
    cresp.exceptionHandler(promise::tryFail);
    cresp.endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }

  private void relayFailed(ExchangeContext ctx, HttpServerResponse resp, Throwable cause) {
    if (ctx.errorCode == null) {
      ctx.errorCode = ctx.clientGone ? "client_disconnected"
          : ApiError.UPSTREAM_TIMEOUT.equals(ErrorMapper.toApiError(cause).code()) ? ApiError.UPSTREAM_TIMEOUT
          : "upstream_body_error";
      ctx.errorMessage = cause.toString();
    }
    HttpClientRequest creq = ctx.upstreamRequest;
    if (creq != null) {
      creq.reset();
    }
    if (!resp.ended() && !resp.closed()) {
      resp.reset();
    }
  }

  private void complete(ExchangeContext ctx) {
    if (ctx.readDeadline != null) {
      ctx.readDeadline.cancel();
    }
    if (ctx.completed) {
      return;
    }
    ctx.completed = true;
    recorder.record(ctx);
  }

  // ---- shared helpers ---------------------------------------------------------------------

  private static ApiError clientGone() {
    return new ApiError(499, "client_closed_request", "client_disconnected", null, "Client disconnected");
  }

  static void fail(HttpServerRequest req, ApiError error) {
    HttpServerResponse resp = req.response();
    if (resp.ended() || resp.closed()) {
      return;
    }
    if (resp.headWritten()) {
      resp.reset();
      return;
    }
    if (error.retryAfterSeconds() != null) {
      resp.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
    }
    json(resp, error.status(), error.toJson());
  }

  private static void json(HttpServerResponse resp, int status, JsonObject body) {
    resp.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.toBuffer());
  }
}

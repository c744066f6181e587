package io.guardstream.gateway.proxy;

import io.guardstream.gateway.auth.Principal;
import io.guardstream.gateway.exchange.ResponseSummary;
import io.guardstream.gateway.limits.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * State of one chat completion exchange as it moves through the stages. Touched only on the
 * event loop of the request that created it.
 */
public final class ExchangeContext {

  /** Attribute under which moderation leaves a {@code Supplier<EnforcementRecord>} for the exchange record. */
  public static final String ENFORCEMENT_RECORD = "guardstream.enforcement";

  private final String exchangeId;
  private final HttpServerRequest request;
  private final long receivedAtMs = System.currentTimeMillis();
  private final long receivedNanos = System.nanoTime();
  private final int maxTextChars;
  // both made on first use: a plain proxied exchange with nothing to record or moderate needs neither
  private ResponseSummary summary;
  private Map<String, Object> attributes;
  Principal principal;
  ChatRequest chatRequest;
  Buffer body;
  String upstreamName;
  String upstreamUrl;
  long upstreamFirstByteNanos;
  long firstTokenNanos;
  int status;
  String errorType;
  String errorCode;
  String errorMessage;
  long requestBytes;
  long responseBytes;
  boolean stream;
  boolean clientGone;
  /** The upstream call's read deadline once it was sent; cancelled when the exchange completes. */
  ReadDeadlines.Watch readDeadline;
  /** The upstream call once made, to reset it when the client leaves or a stage stops the answer. */
  HttpClientRequest upstreamRequest;
  boolean completed;
  private Future<Void> responseGate = Future.succeededFuture();
  private boolean stopRequested;

  ExchangeContext(String exchangeId, HttpServerRequest request, int maxTextChars) {
    this.exchangeId = exchangeId;
    this.request = request;
    this.maxTextChars = maxTextChars;
  }

  public String exchangeId() {
    return exchangeId;
  }

  public HttpServerRequest request() {
    return request;
  }

  public Principal principal() {
    return principal;
  }

  public ChatRequest chatRequest() {
    return chatRequest;
  }

  /** The body that will be forwarded; the client's bytes unless a request stage replaced them. */
  public Buffer body() {
    return body;
  }

  public void replaceBody(Buffer newBody) {
    this.body = newBody;
  }

  public ResponseSummary summary() {
    if (summary == null) {
      summary = new ResponseSummary(maxTextChars);
    }
    return summary;
  }

  public long receivedAtMs() {
    return receivedAtMs;
  }

  public long receivedNanos() {
    return receivedNanos;
  }

  public String upstreamName() {
    return upstreamName;
  }

  public boolean clientGone() {
    return clientGone;
  }

  /**
   * Holds the upstream's answer until {@code gate} completes: a success releases it, a failure cancels
   * the upstream call and answers the client with the failure (nothing of the answer was sent yet).
   * Request stages use it to judge a request while it is already being forwarded.
   */
  public void gateResponse(Future<Void> gate) {
    this.responseGate = gate;
  }

  Future<Void> responseGate() {
    return responseGate;
  }

  /**
   * Ends the client's answer right after the bytes the current response stage call returns, and
   * cancels the upstream call: the stage has sent the last chunk itself (a content-filter finish).
   */
  public void stopAfterThis() {
    this.stopRequested = true;
  }

  boolean stopRequested() {
    return stopRequested;
  }

  /** Free-form state for stages (verdicts, enforcement marks). */
  public Map<String, Object> attributes() {
    if (attributes == null) {
      attributes = new HashMap<>();
    }
    return attributes;
  }

  /** An attribute, without making the map when no stage has set any. */
  Object attribute(String key) {
    return attributes == null ? null : attributes.get(key);
  }
}

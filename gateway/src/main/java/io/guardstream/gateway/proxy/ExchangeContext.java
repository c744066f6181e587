package io.guardstream.gateway.proxy;

import io.guardstream.gateway.auth.Principal;
import io.guardstream.gateway.exchange.ResponseSummary;
import io.guardstream.gateway.limits.ChatRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * State of one chat completion exchange as it moves through the stages. Touched only on the
 * event loop of the request that created it.
 */
public final class ExchangeContext {

  private final String exchangeId;
  private final HttpServerRequest request;
  private final long receivedAtMs = System.currentTimeMillis();
  private final long receivedNanos = System.nanoTime();
  private final ResponseSummary summary;
  private final Map<String, Object> attributes = new HashMap<>();
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

  ExchangeContext(String exchangeId, HttpServerRequest request, int maxTextChars) {
    this.exchangeId = exchangeId;
    this.request = request;
    this.summary = new ResponseSummary(maxTextChars);
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

  /** Free-form state for stages (verdicts, enforcement marks). */
  public Map<String, Object> attributes() {
    return attributes;
  }
}

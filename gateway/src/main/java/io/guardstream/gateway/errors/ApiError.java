package io.guardstream.gateway.errors;

import io.vertx.core.json.JsonObject;

/**
 * A failure the gateway answers in OpenAI's error shape
 * {@code {"error":{"message","type","param","code"}}} with the given HTTP status.
 */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String type;
  private final String param;
  private final String code;
  private final Integer retryAfterSeconds;
  private JsonObject guardstream;

  public ApiError(int status, String type, String code, String param, String message) {
    this(status, type, code, param, message, null);
  }

  public ApiError(int status, String type, String code, String param, String message, Integer retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiError badRequest(String code, String param, String message) {
    return new ApiError(400, "invalid_request_error", code, param, message);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "invalid_request_error", "invalid_api_key", null, message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "invalid_request_error", "not_found", null, message);
  }

  public static ApiError tooLarge(String message) {
    return new ApiError(413, "invalid_request_error", "request_too_large", null, message);
  }

  public static ApiError rateLimited(int retryAfterSeconds) {
    return new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null,
        "Rate limit exceeded for this API key; retry after " + retryAfterSeconds + "s", retryAfterSeconds);
  }

  public static ApiError badGateway(String message) {
    return new ApiError(502, "upstream_error", "upstream_unreachable", null, message);
  }

  /** The code of {@link #gatewayTimeout}: the upstream took too long, to connect, to answer or mid-answer. */
  public static final String UPSTREAM_TIMEOUT = "upstream_timeout";

  public static ApiError gatewayTimeout(String message) {
    return new ApiError(504, "upstream_error", UPSTREAM_TIMEOUT, null, message);
  }

  public static ApiError unavailable(String code, String message) {
    return new ApiError(503, "service_unavailable", code, null, message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Attaches GuardStream's verdict object, rendered as {@code error.guardstream}. */
  public ApiError withGuardstream(JsonObject annotation) {
    this.guardstream = annotation;
    return this;
  }

  public JsonObject toJson() {
    JsonObject error = new JsonObject()
        .put("message", getMessage())
        .put("type", type)
        .put("param", param)
        .put("code", code);
    if (guardstream != null) {
      error.put("guardstream", guardstream);
    }
    return new JsonObject().put("error", error);
  }
}

package io.guardstream.gateway.proxy;

import io.guardstream.gateway.errors.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Reading a client's request body under a size cap, or draining it before an early answer. */
final class RequestBodies {

  /**
   * How much of an over-limit or refused body is drained before the connection is closed instead: draining keeps the
   * connection usable for the client's next request, closing stops a client from making the gateway read forever.
   */
  static final long MAX_DISCARDED_BYTES = 64L * 1024 * 1024;

  private RequestBodies() {
  }

  /** The whole body, or a failed future with a 413 {@link ApiError} once it passes {@code max} bytes. */
  static Future<Buffer> read(HttpServerRequest req, long max) {
    String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declaredLength = -1;
    if (declared != null) {
      try {
        declaredLength = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(ApiError.badRequest("invalid_request", null, "Invalid Content-Length"));
      }
      if (declaredLength > max + MAX_DISCARDED_BYTES) {
        req.response().putHeader(HttpHeaders.CONNECTION, "close");
        return Future.failedFuture(tooLarge(max));
      }
    }
    Promise<Buffer> promise = Promise.promise();
    // a declared length sizes the buffer only up to 64 KiB: a claim is not yet a body
    Buffer body = Buffer.buffer(declaredLength >= 0 ? (int) Math.min(Math.min(declaredLength, max), 64 * 1024) : 4096);
    long[] seen = {0};
    req.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] <= max) {
        body.appendBuffer(chunk);
      } else if (seen[0] > max + MAX_DISCARDED_BYTES) {
        req.response().putHeader(HttpHeaders.CONNECTION, "close");
        promise.tryFail(tooLarge(max));
      }
    });
    req.endHandler(v -> {
      if (seen[0] > max) {
        promise.tryFail(tooLarge(max));
      } else {
        promise.tryComplete(body);
      }
    });
    req.exceptionHandler(promise::tryFail);
    return promise.future();
  }

  /** Drains the body (closing the connection after {@link #MAX_DISCARDED_BYTES}), then runs {@code then} once. */
  static void discardThen(HttpServerRequest req, Runnable then) {
    if (req.isEnded()) {
      then.run();
      return;
    }
    long[] seen = {0};
    boolean[] done = {false};
    req.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] > MAX_DISCARDED_BYTES && !done[0]) {
        done[0] = true;
        req.response().putHeader(HttpHeaders.CONNECTION, "close");
        then.run();
      }
    });
    req.endHandler(v -> {
      if (!done[0]) {
        done[0] = true;
        then.run();
      }
    });
    req.exceptionHandler(err -> {
      if (!done[0]) {
        done[0] = true;
        then.run();
      }
    });
  }

  private static ApiError tooLarge(long max) {
    return ApiError.tooLarge("Request body exceeds the limit of " + max + " bytes");
  }
}

package io.guardstream.gateway.errors;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.VertxException;

/** The one place that turns a failure into the status and error body a client sees. */
public final class ErrorMapper {

  private ErrorMapper() {
  }

  public static ApiError toApiError(Throwable failure) {
    if (failure instanceof ApiError apiError) {
      return apiError;
    }
    if (failure instanceof StreamResetException && failure.getCause() != null) {
      // the gateway reset the upstream call itself, with the reason as cause (e.g. a read deadline)
      return toApiError(failure.getCause());
    }
    if (failure instanceof ConnectTimeoutException || failure instanceof TimeoutException) {
      return ApiError.gatewayTimeout("Upstream did not answer in time");
    }
    if (failure instanceof VertxException && failure.getMessage() != null
        && failure.getMessage().toLowerCase().contains("timeout")) {
      return ApiError.gatewayTimeout("Upstream did not answer in time");
    }
    if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
      return ApiError.badGateway("Upstream unreachable");
    }
    if (failure instanceof HttpClosedException || failure instanceof ClosedChannelException) {
      return ApiError.badGateway("Upstream closed the connection");
    }
    if (failure instanceof IOException) {
      return ApiError.badGateway("Upstream connection failed");
    }
    return new ApiError(500, "server_error", "internal_error", null, "Internal gateway error");
  }
}

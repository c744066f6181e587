package io.guardstream.gateway;

import io.vertx.core.transport.Transport;
import java.util.Locale;

/**
 * The I/O transport under the gateway's event loops ({@code server.transport}). {@code auto} takes Linux io_uring when
 * the kernel and the container allow it (fewer system calls per proxied request than epoll: a quarter to a third
 * less CPU per request in {@code bench/gateway-overhead.sh}), else epoll, else the JDK's NIO; naming one fails the
 * start when it is not available here, with the reason.
 */
public final class GatewayTransport {

  public static final String AUTO = "auto";

  private GatewayTransport() {
  }

  public static Transport resolve(String name) {
    return switch (name == null ? AUTO : name.trim().toLowerCase(Locale.ROOT)) {
      case AUTO -> available(Transport.IO_URING) ? Transport.IO_URING
          : available(Transport.EPOLL) ? Transport.EPOLL : Transport.NIO;
      case "io_uring" -> required(Transport.IO_URING, "io_uring");
      case "epoll" -> required(Transport.EPOLL, "epoll");
      case "nio" -> Transport.NIO;
      default -> throw new IllegalArgumentException(
          "server.transport must be auto, io_uring, epoll or nio, not '" + name + "'");
    };
  }

  /** Lower-case name as {@code server.transport} spells it. */
  public static String describe(Transport transport) {
    return transport.name().toLowerCase(Locale.ROOT);
  }

  private static boolean available(Transport transport) {
    return transport != null && transport.available();
  }

  private static Transport required(Transport transport, String name) {
    if (!available(transport)) {
      Throwable cause = transport == null ? null : transport.unavailabilityCause();
      throw new IllegalStateException("server.transport " + name + " is not available on this host"
          + (cause == null ? "" : ": " + cause.getMessage()) + "; use auto", cause);
    }
    return transport;
  }
}

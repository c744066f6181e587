package io.guardstream.gateway.proxy;

import io.guardstream.gateway.metrics.ConnectionCounts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;

/**
 * The keep-alive HTTP/1.1 connections of one upstream for one gateway event loop. Every gateway verticle builds its
 * own upstreams, so all calls come from that verticle's event loop and nothing here needs a lock. Vert.x's shared
 * pool resolves the endpoint, leases through a lock and chains three futures for every request (0.8 us of the
 * benchmark's ~20 us per proxied request in a profile, docs/gateway.md); here a request takes the most recently
 * released connection off a deque (0.4 us with the stream it opens on it), and the counts feed the upstream gauges.
 *
 * <p>At most {@code maxConnections} are open; requests beyond them wait, in order, until a connection is released or
 * closed, and fail with a {@link TimeoutException} after {@code waitTimeoutMs}. A connection goes back to the idle
 * list only after its answer ended on a connection both sides keep alive; any failure closes it. Connections idle
 * longer than {@code idleTimeoutMs} are closed by a sweep.
 */
final class UpstreamConnections implements ConnectionCounts {

  private record Idle(HttpClientConnection connection, long sinceMs) {
  }

  private record Waiter(Promise<HttpClientConnection> promise, long timer) {
  }

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final HttpConnectOptions connectOptions;
  private final String upstreamName;
  private final int maxConnections;
  private final long idleTimeoutMs;
  private final long waitTimeoutMs;
  private final ArrayDeque<Idle> idle = new ArrayDeque<>(); // head: most recently released
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final long sweepTimer;
  private volatile int open; // volatile, like the two counts below: the gauges read them from another thread
  private volatile int idleCount;
  private volatile int waitingCount;
  private boolean closed;

  UpstreamConnections(Vertx vertx, HttpClientAgent client, HttpConnectOptions connectOptions, String upstreamName,
      int maxConnections, long idleTimeoutMs, long waitTimeoutMs) {
    this.vertx = vertx;
    this.client = client;
    this.connectOptions = connectOptions;
    this.upstreamName = upstreamName;
    this.maxConnections = Math.max(1, maxConnections);
    this.idleTimeoutMs = idleTimeoutMs;
    this.waitTimeoutMs = waitTimeoutMs;
    this.sweepTimer = idleTimeoutMs > 0 ? vertx.setPeriodic(Math.max(100, Math.min(1_000, idleTimeoutMs / 2)),
        id -> closeIdleSince(System.currentTimeMillis() - idleTimeoutMs)) : -1;
  }

  /** A request on a leased connection; the connection returns to the list when the exchange on it is over. */
  Future<HttpClientRequest> request(RequestOptions options) {
    Idle reuse = closed ? null : idle.poll();
    if (reuse != null) { // the common case, without a future for the lease
      recount();
      return start(reuse.connection(), options);
    }
    return lease().compose(connection -> start(connection, options));
  }

  private Future<HttpClientRequest> start(HttpClientConnection connection, RequestOptions options) {
    return connection.request(options).onComplete(created -> {
      if (created.succeeded()) {
        returnWhenDone(connection, created.result());
      } else {
        connection.close();
      }
    });
  }

  @Override
  public int open() {
    return open;
  }

  @Override
  public int idle() {
    return idleCount;
  }

  @Override
  public int waiting() {
    return waitingCount;
  }

  void close() {
    closed = true;
    vertx.cancelTimer(sweepTimer);
    for (Idle i : idle) {
      i.connection().close();
    }
    idle.clear();
    while (!waiters.isEmpty()) {
      Waiter w = waiters.poll();
      vertx.cancelTimer(w.timer());
      w.promise().tryFail("Upstream " + upstreamName + " is closed");
    }
    recount();
  }

  /** A new connection, or a place in the queue for one; {@link #request} takes idle ones itself. */
  private Future<HttpClientConnection> lease() {
    if (closed) {
      return Future.failedFuture("Upstream " + upstreamName + " is closed");
    }
    if (open < maxConnections) {
      return connect();
    }
    Promise<HttpClientConnection> promise = Promise.promise();
    long timer = waitTimeoutMs > 0 ? vertx.setTimer(waitTimeoutMs, id -> {
      waiters.removeIf(w -> w.promise() == promise);
      recount();
      promise.tryFail(new TimeoutException("No connection to upstream " + upstreamName + " became free in "
          + waitTimeoutMs + " ms (" + maxConnections + " busy)"));
    }) : -1;
    waiters.add(new Waiter(promise, timer));
    recount();
    return promise.future();
  }

  private Future<HttpClientConnection> connect() {
    open = open + 1; // one writer: this event loop
    return client.connect(connectOptions).andThen(connected -> {
      if (connected.failed()) {
        open = open - 1;
        connectForNextWaiter();
        recount();
      } else {
        connected.result().closeHandler(v -> onClosed(connected.result()));
        if (closed) { // closed while connecting: the request fails on it, nothing keeps it open
          connected.result().close();
        }
      }
    });
  }

  private void returnWhenDone(HttpClientConnection connection, HttpClientRequest request) {
    request.response().onComplete(answered -> {
      if (answered.failed()) {
        connection.close(); // the close handler frees its place
        return;
      }
      HttpClientResponse response = answered.result();
      response.end().onComplete(ended -> {
        if (ended.succeeded() && keepsAlive(response)) {
          release(connection);
        } else {
          connection.close();
        }
      });
    });
  }

  /**
   * Vert.x's own keep-alive rule for HTTP/1.x answers: it starts closing such a connection when the answer ends, but
   * the close lands later, so without this check the next request could take a connection that is going away.
   */
  private static boolean keepsAlive(HttpClientResponse response) {
    String connectionHeader = response.getHeader("connection");
    if (connectionHeader != null && connectionHeader.equalsIgnoreCase("close")) {
      return false;
    }
    return response.version() != HttpVersion.HTTP_1_0 || "keep-alive".equalsIgnoreCase(connectionHeader);
  }

  private void release(HttpClientConnection connection) {
    if (closed) {
      connection.close();
      return;
    }
    Waiter next = waiters.poll();
    if (next != null) {
      vertx.cancelTimer(next.timer());
      next.promise().complete(connection);
    } else {
      idle.push(new Idle(connection, System.currentTimeMillis()));
    }
    recount();
  }

  private void onClosed(HttpClientConnection connection) {
    open = open - 1;
    idle.removeIf(i -> i.connection() == connection);
    connectForNextWaiter();
    recount();
  }

  private void connectForNextWaiter() {
    Waiter next = waiters.poll();
    if (next != null) {
      vertx.cancelTimer(next.timer());
      connect().onComplete(next.promise());
    }
  }

  private void closeIdleSince(long cutoffMs) {
    Iterator<Idle> oldestFirst = idle.descendingIterator();
    while (oldestFirst.hasNext()) {
      Idle i = oldestFirst.next();
      if (i.sinceMs() > cutoffMs) {
        return;
      }
      oldestFirst.remove();
      recount();
      i.connection().close();
    }
  }

  private void recount() {
    idleCount = idle.size();
    waitingCount = waiters.size();
  }
}

package io.guardstream.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-event-loop connection list against a real upstream server that counts the connections it accepts. */
class UpstreamConnectionsTest {

  private Vertx vertx;
  private Context loop;
  private HttpClientAgent client;
  private HttpServer upstream;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger closedByPeer = new AtomicInteger();
  private final Set<HttpServerRequest> hanging = ConcurrentHashMap.newKeySet();
  private final AtomicReference<String> lastHost = new AtomicReference<>();
  private UpstreamConnections connections;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000));
    upstream = vertx.createHttpServer()
        .connectionHandler(c -> {
          accepted.incrementAndGet();
          c.closeHandler(v -> closedByPeer.incrementAndGet());
        })
        .requestHandler(this::answer)
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private void answer(HttpServerRequest req) {
    lastHost.set(req.getHeader("host"));
    switch (req.path()) {
      case "/slow" -> vertx.setTimer(100, id -> req.response().end("slow"));
      case "/close" -> req.response().putHeader("connection", "close").end("bye");
      case "/hang" -> hanging.add(req);
      default -> req.response().end("ok");
    }
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void sequentialRequestsShareOneConnection() throws Exception {
    connections = build(4, 60_000, 1_000);
    for (int i = 0; i < 5; i++) {
      assertThat(call("/ok")).isEqualTo("ok");
    }
    assertThat(accepted).hasValue(1);
    assertThat(lastHost).hasValue("127.0.0.1:" + upstream.actualPort());
    assertThat(onLoop(() -> connections.open())).isEqualTo(1);
    assertThat(onLoop(() -> connections.idle())).isEqualTo(1);
  }

  @Test
  void requestsBeyondTheLimitWaitForAFreeConnectionAndAllComplete() throws Exception {
    connections = build(2, 60_000, 5_000);
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(start("/slow"));
    }
    for (CompletableFuture<String> answer : answers) {
      assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
    }
    assertThat(accepted).hasValue(2);
    assertThat(onLoop(() -> connections.idle())).isEqualTo(2);
  }

  @Test
  void aConnectionTheUpstreamClosesAfterItsAnswerIsNotReused() throws Exception {
    connections = build(4, 60_000, 1_000);
    CompletableFuture<String> next = new CompletableFuture<>();
    // the next request starts as the answer ends, before the close reaches the client
    loop.runOnContext(v -> connections.request(options("/close"))
        .compose(HttpClientRequest::send)
        .compose(resp -> resp.end())
        .compose(ended -> connections.request(options("/ok")))
        .compose(HttpClientRequest::send)
        .compose(resp -> resp.body())
        .onComplete(ar -> complete(next, ar.map(Object::toString))));
    assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(accepted).hasValue(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> onLoop(() -> connections.open()) == 1);
  }

  @Test
  void aWaiterTimesOutWhileTheOnlyConnectionIsBusyAndAResetFreesItsPlace() throws Exception {
    connections = build(1, 60_000, 200);
    CompletableFuture<HttpClientRequest> stuck = new CompletableFuture<>();
    loop.runOnContext(v -> connections.request(options("/hang")).onSuccess(req -> {
      req.end();
      stuck.complete(req);
    }));
    HttpClientRequest busy = stuck.get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> hanging.size() == 1);

    assertThatThrownBy(() -> call("/ok")).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class).hasMessageContaining("1 busy");

    loop.runOnContext(v -> busy.reset());
    await().atMost(Duration.ofSeconds(5)).until(() -> onLoop(() -> connections.open()) == 0);
    assertThat(call("/ok")).isEqualTo("ok");
    assertThat(accepted).hasValue(2);
  }

  @Test
  void connectionsIdleLongerThanTheIdleTimeoutAreClosed() throws Exception {
    connections = build(4, 200, 1_000);
    assertThat(call("/ok")).isEqualTo("ok");
    await().atMost(Duration.ofSeconds(5)).until(() -> closedByPeer.get() == 1);
    assertThat(onLoop(() -> connections.open())).isZero();
    assertThat(call("/ok")).isEqualTo("ok");
    assertThat(accepted).hasValue(2);
  }

  @Test
  void aRefusedConnectFailsAtOnceAndLeavesNoPlaceTaken() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    connections = onLoop(() -> new UpstreamConnections(vertx, client,
        new HttpConnectOptions().setHost("127.0.0.1").setPort(closedPort), "down", 1, 60_000, 5_000));
    for (int i = 0; i < 2; i++) { // with one place, a leaked count would make the second wait 5 s instead
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> call("/ok")).hasCauseInstanceOf(ConnectException.class);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
    }
    assertThat(onLoop(() -> connections.open())).isZero();
  }

  @Test
  void closingFailsTheWaitersAndClosesIdleConnections() throws Exception {
    connections = build(1, 60_000, 5_000);
    assertThat(call("/ok")).isEqualTo("ok");
    start("/hang");
    await().atMost(Duration.ofSeconds(5)).until(() -> hanging.size() == 1);
    CompletableFuture<String> waiting = start("/ok");
    loop.runOnContext(v -> connections.close());
    assertThatThrownBy(() -> waiting.get(2, TimeUnit.SECONDS)).hasMessageContaining("closed");
    assertThatThrownBy(() -> call("/ok")).hasMessageContaining("closed");
  }

  private UpstreamConnections build(int max, long idleMs, long waitMs) throws Exception {
    HttpConnectOptions target = new HttpConnectOptions().setHost("127.0.0.1").setPort(upstream.actualPort());
    return onLoop(() -> new UpstreamConnections(vertx, client, target, "fake", max, idleMs, waitMs));
  }

  private static RequestOptions options(String path) {
    return new RequestOptions().setMethod(HttpMethod.GET).setURI(path);
  }

  private String call(String path) throws Exception {
    return start(path).get(5, TimeUnit.SECONDS);
  }

  private CompletableFuture<String> start(String path) {
    CompletableFuture<String> result = new CompletableFuture<>();
    loop.runOnContext(v -> connections.request(options(path))
        .compose(HttpClientRequest::send)
        .compose(resp -> resp.body())
        .map(Object::toString)
        .onComplete(ar -> complete(result, ar)));
    return result;
  }

  private static <T> void complete(CompletableFuture<T> target, io.vertx.core.AsyncResult<T> ar) {
    if (ar.succeeded()) {
      target.complete(ar.result());
    } else {
      target.completeExceptionally(ar.cause());
    }
  }

  private <T> T onLoop(Callable<T> action) throws Exception {
    return OnLoop.call(loop, action);
  }
}

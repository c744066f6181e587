package io.guardstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.guardstream.gateway.errors.ApiError;
import io.guardstream.gateway.proxy.ExchangeContext;
import io.guardstream.gateway.proxy.ResponseStage;
import io.guardstream.gateway.sse.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The seams issue 6 fills: a request stage can answer instead of the upstream, a response stage can rewrite. */
class ResponseStageTest {

  @Test
  void requestStageCanRefuseBeforeTheUpstreamIsCalled() throws Exception {
    try (GatewayFixture fx = new GatewayFixture(c -> { }, g -> g.requestStage(ctx ->
        ctx.chatRequest().json().toString().contains("forbidden")
            ? Future.failedFuture(new ApiError(400, "invalid_request_error", "content_filter", "messages", "blocked"))
            : Future.succeededFuture()))) {
      HttpResponse<byte[]> blocked = fx.postJson("{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"forbidden\"}]}");
      assertThat(blocked.statusCode()).isEqualTo(400);
      assertThat(new String(blocked.body())).contains("\"code\":\"content_filter\"");
      assertThat(fx.upstream.received()).isEmpty();
      assertThat(fx.postJson("{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"fine\"}]}").statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void responseStageSeesEveryEventAsynchronouslyAndCanRewriteAndAppend() throws Exception {
    ResponseStage upperCase = new ResponseStage() {
      @Override
      public Future<Buffer> onEvent(ExchangeContext exchange, SseEvent event) {
        Promise<Buffer> later = Promise.promise();
        io.vertx.core.Vertx.currentContext().owner().setTimer(2, t -> later.complete(
            event.isDone() ? Buffer.buffer() : Buffer.buffer(event.raw().toString().replace("stream", "STREAM"))));
        return later.future();
      }

      @Override
      public Future<Buffer> onStreamEnd(ExchangeContext exchange) {
        return Future.succeededFuture(Buffer.buffer("data: [DONE]\n\n"));
      }

      @Override
      public Future<Buffer> onBody(ExchangeContext exchange, Buffer body) {
        return Future.succeededFuture(Buffer.buffer(body.toString().replace("fake upstream", "staged upstream")));
      }
    };
    try (GatewayFixture fx = new GatewayFixture(c -> { }, g -> g.responseStage(upperCase))) {
      HttpResponse<byte[]> streamed = fx.postJson("{\"model\":\"fake-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      String expected = FakeUpstream.sseBody().replace("stream", "STREAM");
      assertThat(new String(streamed.body(), StandardCharsets.UTF_8)).isEqualTo(expected);

      HttpResponse<byte[]> plain = fx.postJson("{\"model\":\"fake-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(FakeUpstream.PLAIN_BODY.replace("fake upstream", "staged upstream"));
    }
  }
}

package io.guardstream.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HeadersTest {

  @Test
  void credentialsAndHopByHopHeadersNeverReachTheUpstreamWhateverTheirCase() {
    MultiMap from = HttpHeaders.headers()
        .add("Content-Type", "application/json").add("AUTHORIZATION", "Bearer sk-client").add("Api-Key", "k")
        .add("x-API-key", "k").add("Cookie", "c").add("Connection", "keep-alive").add("Transfer-Encoding", "chunked")
        .add("Host", "gw").add("Content-Length", "12").add("X-Forwarded-For", "1.2.3.4").add("Accept", "a")
        .add("Accept", "b").add("OpenAI-Organization", "org");
    MultiMap to = HttpHeaders.headers();
    Headers.copyToUpstream(from, to);
    assertThat(to.names()).containsExactlyInAnyOrder("Content-Type", "Accept", "OpenAI-Organization");
    assertThat(to.getAll("accept")).containsExactly("a", "b");
  }

  @Test
  void cookiesAndOurOwnIdNeverComeBackAndContentLengthOnlyWhenTheBodyIsUnchanged() {
    MultiMap from = HttpHeaders.headers()
        .add("Content-Type", "text/event-stream").add("Set-Cookie", "s=1").add("WWW-Authenticate", "Bearer")
        .add("X-GuardStream-Exchange-Id", "spoofed").add("Keep-Alive", "timeout=5").add("Content-Length", "42")
        .add("x-request-id", "r1");
    MultiMap kept = HttpHeaders.headers();
    Headers.copyToClient(from, kept, true);
    assertThat(kept.names()).containsExactlyInAnyOrder("Content-Type", "Content-Length", "x-request-id");
    MultiMap rewritten = HttpHeaders.headers();
    Headers.copyToClient(from, rewritten, false);
    assertThat(rewritten.names()).containsExactlyInAnyOrder("Content-Type", "x-request-id");
  }
}

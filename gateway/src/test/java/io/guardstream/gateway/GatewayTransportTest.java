package io.guardstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.guardstream.gateway.demo.DemoUpstream;
import io.vertx.core.transport.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayTransportTest {

  @Test
  void namesResolveCaseInsensitivelyAndUnknownNamesAreRefused() {
    assertThat(GatewayTransport.resolve("nio")).isSameAs(Transport.NIO);
    assertThat(GatewayTransport.resolve(" NIO ")).isSameAs(Transport.NIO);
    assertThat(GatewayTransport.describe(Transport.NIO)).isEqualTo("nio");
    assertThatThrownBy(() -> GatewayTransport.resolve("kqueue-ish"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("server.transport must be auto, io_uring, epoll or nio, not 'kqueue-ish'");
  }

  @Test
  void autoPrefersIoUringThenEpollThenNio() {
    Transport expected = Transport.IO_URING != null && Transport.IO_URING.available() ? Transport.IO_URING
        : Transport.EPOLL != null && Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
    assertThat(GatewayTransport.resolve("auto")).isSameAs(expected);
    assertThat(GatewayTransport.resolve(null)).isSameAs(expected);
  }

  @Test
  void aNamedTransportThatIsMissingHereFailsWithItsReason() {
    for (String name : new String[] {"io_uring", "epoll"}) {
      Transport transport = name.equals("epoll") ? Transport.EPOLL : Transport.IO_URING;
      if (transport != null && transport.available()) {
        assertThat(GatewayTransport.resolve(name)).isSameAs(transport);
      } else {
        assertThatThrownBy(() -> GatewayTransport.resolve(name)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("server.transport " + name + " is not available on this host");
      }
    }
  }

  /** Every transport this host offers carries a proxied chat completion end to end. */
  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll", "io_uring"})
  void theGatewayAnswersOnEveryAvailableTransport(String name) throws Exception {
    Transport transport = name.equals("nio") ? Transport.NIO : name.equals("epoll") ? Transport.EPOLL : Transport.IO_URING;
    assumeTrue(transport != null && transport.available(), name + " is not available on this host");
    Gateway gateway = GatewayMainTest.startDemoGateway(name);
    try {
      HttpResponse<String> chat = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer sk-demo")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + DemoUpstream.MODEL
              + "\",\"messages\":[{\"role\":\"user\",\"content\":\"over " + name + "\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(chat.statusCode()).isEqualTo(200);
      assertThat(chat.body()).contains("You said: over " + name);
    } finally {
      gateway.stop().await(10, TimeUnit.SECONDS);
    }
  }
}

package io.guardstream.gateway;

import com.openai.client.OpenAIClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One gateway and fake upstream per test class, the official OpenAI SDK pointed at it, the upstream reset per test. */
abstract class SdkGatewayTest {

  static GatewayFixture fx;
  static OpenAIClient sdk;

  @BeforeAll
  static void startGateway() throws Exception {
    fx = new GatewayFixture();
    sdk = fx.sdk();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    sdk.close();
    fx.close();
  }

  @BeforeEach
  void resetUpstream() {
    fx.upstream.reset();
  }
}

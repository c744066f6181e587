package io.guardstream.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.errors.ApiError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatRequestValidatorTest {

  private final ChatRequestValidator validator = new ChatRequestValidator(limits());

  private static GatewayConfig.Limits limits() {
    GatewayConfig.Limits limits = new GatewayConfig.Limits();
    limits.maxJsonDepth = 6;
    limits.maxMessages = 3;
    limits.maxImageParts = 2;
    return limits;
  }

  @Test
  void validRequestYieldsModelStreamUserCountsAndALazyTree() {
    ChatRequest chat = validator.validate("application/json; charset=utf-8", bytes(
        "{\"model\":\"m\",\"stream\":true,\"user\":\"u\",\"messages\":[{\"role\":\"user\",\"content\":["
            + "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}}]}]}"));
    assertThat(chat.model()).isEqualTo("m");
    assertThat(chat.stream()).isTrue();
    assertThat(chat.user()).isEqualTo("u");
    assertThat(chat.messageCount()).isEqualTo(1);
    assertThat(chat.imageParts()).isEqualTo(1);
    assertThat(chat.json().path("messages").get(0).path("role").asText()).isEqualTo("user");
    assertThat(chat.json()).isSameAs(chat.json());
  }

  @Test
  void nonTextualFieldsAreIgnoredAndStreamFollowsJacksonAsBoolean() {
    ChatRequest chat = validator.validate("application/json",
        bytes("{\"model\":[1],\"user\":{\"a\":1},\"stream\":\" true \",\"messages\":[{}]}"));
    assertThat(chat.model()).isNull();
    assertThat(chat.user()).isNull();
    assertThat(chat.stream()).isTrue();
    assertThat(validator.validate("application/json", bytes("{\"stream\":1,\"messages\":[{}]}")).stream()).isTrue();
    assertThat(validator.validate("application/json", bytes("{\"stream\":0,\"messages\":[{}]}")).stream()).isFalse();
    assertThat(validator.validate("application/json", bytes("{\"stream\":1.5,\"messages\":[{}]}")).stream()).isFalse();
    assertThat(validator.validate("application/json", bytes("{\"stream\":null,\"messages\":[{}]}")).stream()).isFalse();
  }

  @Test
  void imagePartsCountTypeOrMemberAndTheLastDuplicateKeyWins() {
    assertThat(validator.validate("application/json", bytes("{\"messages\":[{\"content\":["
        + "{\"type\":\"image_url\"},{\"image_url\":null},{\"type\":\"image_url\",\"type\":\"text\"},\"x\",5]}]}"))
        .imageParts()).isEqualTo(2);
    assertThat(validator.validate("application/json", bytes("{\"messages\":[{\"content\":["
        + "{\"type\":\"image_url\"},{\"type\":\"image_url\"},{\"type\":\"image_url\"}],\"content\":\"text now\"}]}"))
        .imageParts()).isZero();
    assertThat(validator.validate("application/json",
        bytes("{\"messages\":[{},{},{},{}],\"messages\":[{}]}")).messageCount()).isEqualTo(1);
  }

  @Test
  void everyCheckAnswersWithItsCode() {
    assertThat(code("text/plain", "{}")).isEqualTo("invalid_content_type");
    assertThat(code(null, "{}")).isEqualTo("invalid_content_type");
    assertThat(code("application/json", new byte[] {'{', (byte) 0xC0, (byte) 0xAF, '}'})).isEqualTo("invalid_encoding");
    assertThat(code("application/json", "{\"messages\":[{}]")).isEqualTo("invalid_json");
    assertThat(code("application/json", "{\"messages\":[{}]} x")).isEqualTo("invalid_json");
    assertThat(code("application/json", "{\"messages\":[{}]} {}")).isEqualTo("invalid_json");
    assertThat(code("application/json", "{\"messages\":[{}],\"x\":\"\\q\"}")).isEqualTo("invalid_json");
    assertThat(code("application/json", "[1,2]")).isEqualTo("invalid_json");
    assertThat(code("application/json", "")).isEqualTo("invalid_json");
    assertThat(code("application/json", "{\"a\":[[[[[[[1]]]]]]],\"messages\":[{}]}")).isEqualTo("json_too_deep");
    assertThat(code("application/json", "{\"model\":\"m\"}")).isEqualTo("missing_required_parameter");
    assertThat(code("application/json", "{\"messages\":null}")).isEqualTo("missing_required_parameter");
    assertThat(code("application/json", "{\"messages\":[]}")).isEqualTo("invalid_type");
    assertThat(code("application/json", "{\"messages\":{}}")).isEqualTo("invalid_type");
    assertThat(code("application/json", "{\"messages\":[{},2]}")).isEqualTo("invalid_type");
    assertThat(code("application/json", "{\"messages\":[1,2,3,4]}")).as("count before shape").isEqualTo("too_many_messages");
    assertThat(code("application/json", "{\"messages\":[{\"content\":[{\"image_url\":1},{\"image_url\":2}]},"
        + "{\"content\":[{\"type\":\"image_url\"}]}]}")).isEqualTo("too_many_images");
  }

  @Test
  void malformedJsonIsReportedBeforeShapeProblems() {
    assertThat(code("application/json", "{\"messages\":[],\"x\":tru}")).isEqualTo("invalid_json");
    assertThat(code("application/json", "{\"messages\":[1,2,3,4],\"a\":[[[[[[[1]]]]]]]}")).isEqualTo("json_too_deep");
  }

  private String code(String contentType, String body) {
    return code(contentType, bytes(body));
  }

  private String code(String contentType, byte[] body) {
    ApiError error = catchThrowableOfType(ApiError.class, () -> validator.validate(contentType, body));
    assertThat(error).as("rejected").isNotNull();
    assertThat(error.status()).isEqualTo(400);
    return error.code();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

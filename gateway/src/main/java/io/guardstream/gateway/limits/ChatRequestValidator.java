package io.guardstream.gateway.limits;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.errors.ApiError;
import java.io.IOException;

/**
 * Checks a chat completion body against the configured limits and OpenAI's basic shape, in the
 * order a client would want to hear about problems: content type, UTF-8, JSON, depth, messages.
 * One streaming pass over the tokens, no tree: the tree is built later only if something asks for
 * {@link ChatRequest#json()}. Duplicate keys behave as in a tree (the last one counts).
 */
public final class ChatRequestValidator {

  private final GatewayConfig.Limits limits;
  private final ObjectMapper mapper;

  public ChatRequestValidator(GatewayConfig.Limits limits) {
    this.limits = limits;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxJsonDepth)
            .maxStringLength((int) Math.min(Integer.MAX_VALUE - 16, limits.maxBodyBytes + 1))
            .build())
        .build();
    this.mapper = JsonMapper.builder(factory).build();
  }

  public static boolean isJsonContentType(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String mime = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return mime.equalsIgnoreCase("application/json") || mime.toLowerCase().endsWith("+json");
  }

  public ChatRequest validate(String contentType, byte[] body) {
    if (!isJsonContentType(contentType)) {
      throw ApiError.badRequest("invalid_content_type", null,
          "Content-Type must be application/json, got " + (contentType == null ? "none" : "'" + contentType + "'"));
    }
    int bad = Utf8.firstInvalid(body, 0, body.length);
    if (bad >= 0) {
      throw ApiError.badRequest("invalid_encoding", null, "Request body is not valid UTF-8 (byte offset " + bad + ")");
    }
    Shape shape = new Shape();
    try (JsonParser parser = mapper.createParser(body)) {
      read(parser, shape);
      if (parser.nextToken() != null) {
        throw ApiError.badRequest("invalid_json", null, "Request body holds more than one JSON value");
      }
    } catch (StreamConstraintsException e) {
      throw ApiError.badRequest("json_too_deep", null,
          "Request JSON is nested deeper than " + limits.maxJsonDepth + " levels or holds an oversized value");
    } catch (IOException e) {
      throw ApiError.badRequest("invalid_json", null, "Request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!shape.object) {
      throw ApiError.badRequest("invalid_json", null, "Request body must be a JSON object");
    }
    if (!shape.messagesPresent) {
      throw ApiError.badRequest("missing_required_parameter", "messages", "Missing required parameter: 'messages'");
    }
    if (!shape.messagesArray || shape.messages == 0) {
      throw ApiError.badRequest("invalid_type", "messages", "'messages' must be a non-empty array");
    }
    if (shape.messages > limits.maxMessages) {
      throw ApiError.badRequest("too_many_messages", "messages",
          "At most " + limits.maxMessages + " messages are allowed, got " + shape.messages);
    }
    if (shape.nonObjectMessage) {
      throw ApiError.badRequest("invalid_type", "messages", "Each message must be a JSON object");
    }
    if (shape.images > limits.maxImageParts) {
      throw ApiError.badRequest("too_many_images", "messages",
          "At most " + limits.maxImageParts + " image parts are allowed, got " + shape.images);
    }
    return new ChatRequest(body, mapper, shape.model, shape.stream, shape.user, shape.messages, shape.images);
  }

  /** What validation needs from the body; filled by one pass over the tokens. */
  private static final class Shape {
    boolean object;
    boolean messagesPresent;
    boolean messagesArray;
    int messages;
    boolean nonObjectMessage;
    int images;
    String model;
    boolean stream;
    String user;
  }

  private static void read(JsonParser p, Shape shape) throws IOException {
    JsonToken token = p.nextToken();
    if (token != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    shape.object = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      token = p.nextToken();
      switch (name) {
        case "messages" -> readMessages(p, token, shape);
        case "model" -> shape.model = token == JsonToken.VALUE_STRING ? p.getText() : null;
        case "user" -> shape.user = token == JsonToken.VALUE_STRING ? p.getText() : null;
        case "stream" -> shape.stream = asBoolean(p, token);
        default -> { }
      }
      p.skipChildren();
    }
  }

  private static void readMessages(JsonParser p, JsonToken token, Shape shape) throws IOException {
    shape.messagesPresent = token != JsonToken.VALUE_NULL;
    shape.messagesArray = token == JsonToken.START_ARRAY;
    shape.messages = 0;
    shape.nonObjectMessage = false;
    shape.images = 0;
    if (!shape.messagesArray) {
      return;
    }
    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
      shape.messages++;
      if (token != JsonToken.START_OBJECT) {
        shape.nonObjectMessage = true;
        p.skipChildren();
        continue;
      }
      int contentImages = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean content = "content".equals(p.currentName());
        token = p.nextToken();
        if (content) {
          contentImages = token == JsonToken.START_ARRAY ? countImageParts(p) : 0;
        }
        p.skipChildren();
      }
      shape.images += contentImages;
    }
  }

  /** Parts whose {@code type} is {@code image_url} or that carry an {@code image_url} member; ends on the array's end. */
  private static int countImageParts(JsonParser p) throws IOException {
    int images = 0;
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      boolean imageType = false;
      boolean imageMember = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        token = p.nextToken();
        if ("type".equals(name)) {
          imageType = token == JsonToken.VALUE_STRING && "image_url".equals(p.getText());
        } else if ("image_url".equals(name)) {
          imageMember = true;
        }
        p.skipChildren();
      }
      if (imageType || imageMember) {
        images++;
      }
    }
    return images;
  }

  /** Jackson's {@code JsonNode.asBoolean(false)}: true, a non-zero integer, or the text "true". */
  private static boolean asBoolean(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_TRUE -> true;
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          ? p.getBigIntegerValue().signum() != 0 : p.getLongValue() != 0;
      case VALUE_STRING -> "true".equals(p.getText().trim());
      default -> false;
    };
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "parse error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}

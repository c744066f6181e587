package io.guardstream.gateway.limits;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.gateway.errors.ApiError;
import java.io.IOException;

/**
 * Checks a chat completion body against the configured limits and OpenAI's basic shape, in the
 * order a client would want to hear about problems: content type, UTF-8, JSON, depth, messages.
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
    JsonNode json;
    try (JsonParser parser = mapper.createParser(body)) {
      json = mapper.readTree(parser);
      if (parser.nextToken() != null) {
        throw ApiError.badRequest("invalid_json", null, "Request body holds more than one JSON value");
      }
    } catch (StreamConstraintsException e) {
      throw ApiError.badRequest("json_too_deep", null,
          "Request JSON is nested deeper than " + limits.maxJsonDepth + " levels or holds an oversized value");
    } catch (IOException e) {
      throw ApiError.badRequest("invalid_json", null, "Request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (json == null || !json.isObject()) {
      throw ApiError.badRequest("invalid_json", null, "Request body must be a JSON object");
    }
    JsonNode messages = json.get("messages");
    if (messages == null || messages.isNull()) {
      throw ApiError.badRequest("missing_required_parameter", "messages", "Missing required parameter: 'messages'");
    }
    if (!messages.isArray() || messages.isEmpty()) {
      throw ApiError.badRequest("invalid_type", "messages", "'messages' must be a non-empty array");
    }
    if (messages.size() > limits.maxMessages) {
      throw ApiError.badRequest("too_many_messages", "messages",
          "At most " + limits.maxMessages + " messages are allowed, got " + messages.size());
    }
    int images = 0;
    for (JsonNode message : messages) {
      if (!message.isObject()) {
        throw ApiError.badRequest("invalid_type", "messages", "Each message must be a JSON object");
      }
      JsonNode content = message.get("content");
      if (content != null && content.isArray()) {
        for (JsonNode part : content) {
          if ("image_url".equals(part.path("type").asText()) || part.has("image_url")) {
            images++;
          }
        }
      }
    }
    if (images > limits.maxImageParts) {
      throw ApiError.badRequest("too_many_images", "messages",
          "At most " + limits.maxImageParts + " image parts are allowed, got " + images);
    }
    JsonNode model = json.get("model");
    JsonNode stream = json.get("stream");
    JsonNode user = json.get("user");
    return new ChatRequest(body, json,
        model != null && model.isTextual() ? model.asText() : null,
        stream != null && stream.asBoolean(false),
        user != null && user.isTextual() ? user.asText() : null,
        messages.size(), images);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "parse error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}

package io.guardstream.gateway.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Turns a request's {@code messages} into exchange messages, hashing inline images. */
public final class ExchangeAssembler {

  private final int inlineImageMaxBytes;

  public ExchangeAssembler(int inlineImageMaxBytes) {
    this.inlineImageMaxBytes = inlineImageMaxBytes;
  }

  public List<ExchangeRecord.Message> messages(JsonNode request) {
    List<ExchangeRecord.Message> out = new ArrayList<>();
    if (request == null) {
      return out;
    }
    JsonNode messages = request.get("messages");
    if (messages == null || !messages.isArray()) {
      return out;
    }
    for (JsonNode message : messages) {
      String role = message.path("role").asText("");
      String name = message.path("name").textValue();
      JsonNode content = message.get("content");
      List<ExchangeRecord.Part> parts = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      if (content != null && content.isTextual()) {
        text.append(content.asText());
        parts.add(new ExchangeRecord.Part("text", content.asText(), null));
      } else if (content != null && content.isArray()) {
        for (JsonNode part : content) {
          String type = part.path("type").asText("");
          if (type.equals("text")) {
            String t = part.path("text").asText("");
            if (text.length() > 0) {
              text.append('\n');
            }
            text.append(t);
            parts.add(new ExchangeRecord.Part("text", t, null));
          } else if (type.equals("image_url") || part.has("image_url")) {
            parts.add(new ExchangeRecord.Part("image_url", null, image(part.get("image_url"))));
          } else {
            parts.add(new ExchangeRecord.Part(type, null, null));
          }
        }
      }
      JsonNode toolCalls = message.get("tool_calls");
      out.add(new ExchangeRecord.Message(role, name, text.toString(), parts,
          toolCalls == null || toolCalls.isNull() ? null : toolCalls.toString()));
    }
    return out;
  }

  ExchangeRecord.ImageRef image(JsonNode imageUrl) {
    if (imageUrl == null) {
      return new ExchangeRecord.ImageRef(null, null, 0, null, null, null);
    }
    String url = imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
    String detail = imageUrl.isObject() ? imageUrl.path("detail").textValue() : null;
    if (url.regionMatches(true, 0, "data:", 0, 5)) {
      int comma = url.indexOf(',');
      String meta = comma < 0 ? url.substring(5) : url.substring(5, comma);
      String mime = meta.contains(";") ? meta.substring(0, meta.indexOf(';')) : meta;
      byte[] bytes;
      try {
        bytes = meta.endsWith(";base64")
            ? Base64.getMimeDecoder().decode(url.substring(comma + 1))
            : java.net.URLDecoder.decode(url.substring(comma + 1), java.nio.charset.StandardCharsets.UTF_8)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return new ExchangeRecord.ImageRef(null, mime.isEmpty() ? null : mime, 0, null, detail, null);
      }
      return new ExchangeRecord.ImageRef(sha256(bytes), mime.isEmpty() ? "text/plain" : mime, bytes.length, null, detail,
          bytes.length <= inlineImageMaxBytes ? bytes : null);
    }
    return new ExchangeRecord.ImageRef(null, null, 0, url, detail, null);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.guardstream.gateway.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A chat completion request body that passed validation; {@code body} is forwarded byte for byte.
 * The JSON tree is built on first use of {@link #json()} (exchange assembly, moderation), so a
 * request nobody inspects is never turned into a tree.
 */
public final class ChatRequest {

  private final byte[] body;
  private final ObjectMapper mapper;
  private final String model;
  private final boolean stream;
  private final String user;
  private final int messageCount;
  private final int imageParts;
  private volatile JsonNode json;

  ChatRequest(byte[] body, ObjectMapper mapper, String model, boolean stream, String user,
              int messageCount, int imageParts) {
    this.body = body;
    this.mapper = mapper;
    this.model = model;
    this.stream = stream;
    this.user = user;
    this.messageCount = messageCount;
    this.imageParts = imageParts;
  }

  public byte[] body() {
    return body;
  }

  /** The body as a tree, parsed once on first call (any thread). */
  public JsonNode json() {
    JsonNode tree = json;
    if (tree == null) {
      try {
        tree = mapper.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("validated body no longer parses", e);
      }
      json = tree;
    }
    return tree;
  }

  public String model() {
    return model;
  }

  public boolean stream() {
    return stream;
  }

  public String user() {
    return user;
  }

  public int messageCount() {
    return messageCount;
  }

  public int imageParts() {
    return imageParts;
  }
}

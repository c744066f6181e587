package io.guardstream.gateway.limits;

import com.fasterxml.jackson.databind.JsonNode;

/** A chat completion request body that passed validation; {@code body} is forwarded byte for byte. */
public record ChatRequest(byte[] body, JsonNode json, String model, boolean stream, String user,
                          int messageCount, int imageParts) {
}

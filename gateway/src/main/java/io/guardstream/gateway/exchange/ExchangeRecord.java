package io.guardstream.gateway.exchange;

import io.guardstream.avro.EnforcementRecord;
import java.util.List;

/**
 * One completed (or failed) request/response pair as the gateway publishes it. Holds no
 * credentials: the caller is known by tenant and key id only.
 *
 * <p>Times are epoch milliseconds; {@code upstreamFirstByteAtMs} and {@code firstTokenAtMs} are
 * null when the upstream never answered or sent no content. {@code enforcement} is null when
 * moderation is off.
 */
public record ExchangeRecord(
    String exchangeId,
    String tenantId,
    String keyId,
    String policy,
    String endUser,
    String model,
    String upstream,
    String upstreamUrl,
    String path,
    boolean stream,
    long receivedAtMs,
    Long upstreamFirstByteAtMs,
    Long firstTokenAtMs,
    long completedAtMs,
    List<Message> messages,
    String responseText,
    boolean responseTruncated,
    String finishReason,
    ResponseSummary.Usage usage,
    int httpStatus,
    String errorType,
    String errorCode,
    String errorMessage,
    long requestBytes,
    long responseBytes,
    EnforcementRecord enforcement) {

  /** A request message: role, its text parts joined, every part in order, tool calls as compact JSON. */
  public record Message(String role, String name, String text, List<Part> parts, String toolCallsJson) {
  }

  /** {@code type} is the OpenAI part type; text parts carry {@code text}, image parts {@code image}. */
  public record Part(String type, String text, ImageRef image) {
  }

  /**
   * An image by reference: {@code data:} URIs by sha256, mime and size (bytes inline only under the
   * configured cap); http(s) images by {@code url}.
   */
  public record ImageRef(String sha256, String mimeType, long sizeBytes, String url, String detail, byte[] inlineData) {
  }
}

package io.guardstream.gateway.publish;

import io.guardstream.avro.ChatMessage;
import io.guardstream.avro.ContentPart;
import io.guardstream.avro.ContentPartType;
import io.guardstream.avro.ErrorInfo;
import io.guardstream.avro.Exchange;
import io.guardstream.avro.ImageRef;
import io.guardstream.avro.ImageSource;
import io.guardstream.avro.Timings;
import io.guardstream.avro.Usage;
import io.guardstream.gateway.exchange.ExchangeRecord;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Maps the gateway's {@link ExchangeRecord} to the {@code io.guardstream.avro.Exchange} contract. */
public final class ExchangeAvroMapper {

  private ExchangeAvroMapper() {
  }

  /** The request's messages in the Avro contract, images by reference. */
  public static List<ChatMessage> messages(List<ExchangeRecord.Message> source) {
    List<ChatMessage> messages = new ArrayList<>();
    for (ExchangeRecord.Message m : source) {
      List<ContentPart> parts = new ArrayList<>();
      for (ExchangeRecord.Part p : m.parts()) {
        parts.add(part(p));
      }
      messages.add(ChatMessage.newBuilder().setRole(m.role()).setName(m.name()).setParts(parts)
          .setToolCallsJson(m.toolCallsJson()).build());
    }
    return messages;
  }

  public static Exchange toAvro(ExchangeRecord r, String gatewayInstance) {
    List<ChatMessage> messages = messages(r.messages());
    Timings timings = Timings.newBuilder()
        .setReceivedAt(Instant.ofEpochMilli(r.receivedAtMs()))
        .setUpstreamFirstByteAt(r.upstreamFirstByteAtMs() == null ? null : Instant.ofEpochMilli(r.upstreamFirstByteAtMs()))
        .setCompletedAt(Instant.ofEpochMilli(r.completedAtMs()))
        .build();
    Usage usage = r.usage() == null ? null : Usage.newBuilder()
        .setPromptTokens((int) r.usage().promptTokens())
        .setCompletionTokens((int) r.usage().completionTokens())
        .setTotalTokens((int) r.usage().totalTokens())
        .build();
    ErrorInfo error = r.errorCode() == null && r.errorMessage() == null ? null : ErrorInfo.newBuilder()
        .setType(r.errorType() == null ? "upstream_error" : r.errorType())
        .setCode(r.errorCode())
        .setMessage(r.errorMessage() == null ? "" : r.errorMessage())
        .build();
    return Exchange.newBuilder()
        .setExchangeId(r.exchangeId())
        .setTenantId(r.tenantId())
        .setKeyId(r.keyId())
        .setEndUserId(r.endUser())
        .setGatewayInstance(gatewayInstance)
        .setModel(r.model())
        .setUpstream(r.upstreamUrl())
        .setStream(r.stream())
        .setTimings(timings)
        .setRequestMessages(messages)
        .setResponseText(r.responseText())
        .setFinishReason(r.finishReason())
        .setUsage(usage)
        .setHttpStatus(r.httpStatus())
        .setError(error)
        .setEnforcement(r.enforcement())
        .build();
  }

  private static ContentPart part(ExchangeRecord.Part p) {
    return switch (p.type()) {
      case "text" -> ContentPart.newBuilder().setType(ContentPartType.TEXT).setText(p.text()).setImage(null).build();
      case "image_url" -> ContentPart.newBuilder().setType(ContentPartType.IMAGE).setText(null).setImage(image(p.image())).build();
      default -> ContentPart.newBuilder().setType(ContentPartType.OTHER).setText(null).setImage(null).build();
    };
  }

  private static ImageRef image(ExchangeRecord.ImageRef img) {
    ImageRef.Builder b = ImageRef.newBuilder().setDetail(img == null ? null : img.detail()).setWidth(null).setHeight(null);
    if (img == null) {
      return b.setSha256("").setMime(null).setSizeBytes(0).setSource(ImageSource.UNKNOWN).setUrl(null).setInlineBytes(null).build();
    }
    if (img.url() != null) {
      return b.setSha256(sha256(img.url().getBytes(StandardCharsets.UTF_8))).setMime(null).setSizeBytes(0)
          .setSource(ImageSource.URL).setUrl(strip(img.url())).setInlineBytes(null).build();
    }
    return b.setSha256(img.sha256() == null ? "" : img.sha256()).setMime(img.mimeType()).setSizeBytes(img.sizeBytes())
        .setSource(img.sha256() == null ? ImageSource.UNKNOWN : ImageSource.DATA_URI).setUrl(null)
        .setInlineBytes(img.inlineData() == null ? null : ByteBuffer.wrap(img.inlineData())).build();
  }

  /** Scheme, host, port and path only: query strings and user info may hold signatures or secrets. */
  static String strip(String url) {
    try {
      URI u = URI.create(url);
      if (u.getHost() == null) {
        return null;
      }
      return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + (u.getRawPath() == null ? "" : u.getRawPath());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

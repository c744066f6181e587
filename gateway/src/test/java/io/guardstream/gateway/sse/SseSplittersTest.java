package io.guardstream.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.guardstream.gateway.exchange.ResponseSummary;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseSplittersTest {

  @Test
  void linesSplitAnywhereIncludingInsideUtf8AndCrlfAreReassembled() {
    byte[] all = "data: h\u00e9llo \u4e16\r\n: ping\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < all.length; cut++) {
      List<String> lines = new ArrayList<>();
      SseLineSplitter splitter = new SseLineSplitter(1024, lines::add);
      splitter.feed(Buffer.buffer(java.util.Arrays.copyOfRange(all, 0, cut)));
      splitter.feed(Buffer.buffer(java.util.Arrays.copyOfRange(all, cut, all.length)));
      assertThat(lines).as("cut at %d", cut).containsExactly("data: h\u00e9llo \u4e16", ": ping", "", "data: [DONE]", "");
    }
  }

  @Test
  void overlongLinesAreSkippedNotBuffered() {
    List<String> lines = new ArrayList<>();
    SseLineSplitter splitter = new SseLineSplitter(8, lines::add);
    splitter.feed(Buffer.buffer("data: 0123"));
    splitter.feed(Buffer.buffer("456789\nok\n"));
    assertThat(lines).containsExactly("ok");
  }

  @Test
  void eventsCarryTheirRawBytesAndJoinedData() {
    SseEventSplitter splitter = new SseEventSplitter(1024);
    List<SseEvent> first = splitter.feed(Buffer.buffer(": heartbeat\n\ndata: {\"a\":1}\n\ndata: x"));
    assertThat(first).hasSize(2);
    assertThat(first.get(0).data()).isNull();
    assertThat(first.get(1).raw().toString()).isEqualTo("data: {\"a\":1}\n\n");
    List<SseEvent> rest = splitter.feed(Buffer.buffer("\ndata: y\n\ndata: [DONE]\n\n"));
    assertThat(rest).extracting(SseEvent::data).containsExactly("x\ny", "[DONE]");
    assertThat(rest.get(1).isDone()).isTrue();
  }

  @Test
  void chunkParserAssemblesTextFinishReasonUsageAndErrors() {
    ResponseSummary summary = new ResponseSummary(5);
    int[] firsts = {0};
    SseChunkParser parser = new SseChunkParser(summary, 1024, () -> firsts[0]++);
    parser.feed(Buffer.buffer("data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"));
    parser.feed(Buffer.buffer("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo world\"}"));
    parser.feed(Buffer.buffer("}]}\n\ndata: not json\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],"
        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\ndata: [DONE]\n\n"));
    assertThat(summary.text()).isEqualTo("Hello");
    assertThat(summary.truncated()).isTrue();
    assertThat(summary.finishReason()).isEqualTo("length");
    assertThat(summary.usage().totalTokens()).isEqualTo(3);
    assertThat(summary.model()).isEqualTo("m");
    assertThat(summary.done()).isTrue();
    assertThat(firsts[0]).isEqualTo(1);
  }
}

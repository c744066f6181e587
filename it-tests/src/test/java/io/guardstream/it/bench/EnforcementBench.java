package io.guardstream.it.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.guardstream.gateway.config.ConfigLoader;
import io.guardstream.gateway.config.GatewayConfig;
import io.guardstream.it.FakeVlmAccess;
import io.guardstream.standalone.Standalone;
import io.guardstream.standalone.StandaloneConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What in-flight moderation costs, measured on the whole standalone system (embedded Kafka, the TF guard,
 * both stream apps, the gateway) in front of a fake VLM, all in one run against moderation off:
 * (a) latency of a non-streamed request with a {@code sync} request check over {@code kafka} and over
 * {@code direct}; (b) time to first token and tokens/s of a streamed answer with {@code hold_back} at two
 * window sizes and with {@code stream_first}. Modes are interleaved round by round so background load
 * hits them alike. Reasoning is off in the measured policies (in-flight checks need verdicts, not prose).
 *
 * <p>Arguments: {@code [requests per mode and round=40] [streams per mode and round=4] [rounds=3] [chunk delay ms=5]
 * [audit app on|off=on]}. With the audit app on, every exchange is also judged afterwards (with reasoning) by
 * the same model server, and in-flight checks queue behind that work; {@code off} isolates the in-flight cost.
 */
public final class EnforcementBench {

    private static final String PROMPT = "Why does bread rise?";
    private static final String ANSWER = String.join(" ", java.util.Collections.nCopies(6,
            "Bread rises because yeast ferments sugars and releases carbon dioxide, which the gluten network traps."));

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long chunkDelayMs = args.length > 3 ? Long.parseLong(args[3]) : 5;
        boolean audit = args.length <= 4 || !"off".equals(args[4]);

        Path dir = Files.createTempDirectory("guardstream-bench-");
        Path policies = dir.resolve("policies.yaml");
        Files.writeString(policies, """
                policies:
                  off: {request: audit, response: audit}
                  sync_kafka: {request: sync, response: audit, transport: kafka, reasoning: false}
                  sync_direct: {request: sync, response: audit, transport: direct, reasoning: false}
                  hold_back_200: {request: audit, response: hold_back, windowChars: 200, overlapChars: 40, reasoning: false}
                  hold_back_800: {request: audit, response: hold_back, windowChars: 800, overlapChars: 80, reasoning: false}
                  stream_first_200: {request: audit, response: stream_first, windowChars: 200, overlapChars: 40, reasoning: false}
                """);
        List<String> names = List.of("off", "sync_kafka", "sync_direct", "hold_back_200", "hold_back_800", "stream_first_200");
        try (FakeVlmAccess vlm = new FakeVlmAccess(chunkDelayMs, ANSWER)) {
            StandaloneConfig config = StandaloneConfig.load(null, name -> null, Map.ofEntries(
                    Map.entry("dataDir", dir.resolve("data").toString()),
                    Map.entry("kafka.port", "0"), Map.entry("kafka.controllerPort", "0"),
                    Map.entry("registry.port", "0"), Map.entry("modelServer.port", "0"),
                    Map.entry("gateway.server.port", "0"), Map.entry("gateway.server.host", "127.0.0.1"),
                    Map.entry("gateway.moderation.policiesFile", policies.toString()),
                    Map.entry("streams.admin.port", "0"), Map.entry("streams.admin.host", "127.0.0.1"),
                    Map.entry("streams.audit.enabled", String.valueOf(audit))));
            GatewayConfig gateway = config.gateway();
            ConfigLoader.setDefaultUpstream(gateway, vlm.baseUrl());
            for (String name : names) {
                ConfigLoader.addApiKey(gateway, "sk-bench-" + name);
                gateway.apiKeys.get(gateway.apiKeys.size() - 1).policy = name;
            }
            try (Standalone standalone = new Standalone(config).start()) {
                String url = standalone.endpoints().get("gateway") + "/chat/completions";
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                System.out.println("warming up...");
                for (String name : names) {
                    for (int i = 0; i < 15; i++) {
                        call(http, url, name, false);
                    }
                    call(http, url, name, true);
                }
                Map<String, List<Double>> latency = new LinkedHashMap<>();
                Map<String, List<Double>> ttft = new LinkedHashMap<>();
                Map<String, List<Double>> rate = new LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    for (String name : List.of("off", "sync_kafka", "sync_direct")) {
                        for (int i = 0; i < requests; i++) {
                            latency.computeIfAbsent(name, k -> new ArrayList<>()).add(call(http, url, name, false)[0]);
                        }
                    }
                    for (String name : List.of("off", "hold_back_200", "hold_back_800", "stream_first_200")) {
                        for (int i = 0; i < streams; i++) {
                            double[] stream = call(http, url, name, true);
                            ttft.computeIfAbsent(name, k -> new ArrayList<>()).add(stream[1]);
                            rate.computeIfAbsent(name, k -> new ArrayList<>()).add(stream[2]);
                        }
                    }
                    System.out.printf("round %d/%d done%n", round + 1, rounds);
                }
                report(latency, ttft, rate, requests, streams, rounds, chunkDelayMs);
                System.out.println("audit app: " + (audit ? "on (every exchange judged again afterwards, with reasoning)" : "off"));
            }
        }
        // an audit batch still running when the system stops can leave a Kafka Streams thread (not a daemon) closing
        // its producer against the stopped broker, forever; the figures are printed, so end the process
        System.out.flush();
        System.exit(0);
    }

    /** @return {total ms, time to first content ms, content chunks per second from request to last chunk} */
    private static double[] call(HttpClient http, String url, String policy, boolean stream) throws Exception {
        JsonObject body = new JsonObject().put("model", "fake-vlm").put("stream", stream)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", PROMPT)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json").header("authorization", "Bearer sk-bench-" + policy)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
        long start = System.nanoTime();
        if (!stream) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(policy + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return new double[] {ms(System.nanoTime() - start), 0, 0};
        }
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        long first = 0;
        long last = 0;
        int chunks = 0;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("data: {") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                last = System.nanoTime();
                if (first == 0) {
                    first = last;
                }
                chunks++;
            }
        }
        if (response.statusCode() != 200 || chunks == 0) {
            throw new IllegalStateException(policy + ": HTTP " + response.statusCode() + ", " + chunks + " content chunks");
        }
        double seconds = Math.max(1e-6, (last - start) / 1e9);
        return new double[] {ms(last - start), ms(first - start), chunks / seconds};
    }

    private static void report(Map<String, List<Double>> latency, Map<String, List<Double>> ttft, Map<String, List<Double>> rate,
                               int requests, int streams, int rounds, long chunkDelayMs) {
        System.out.println();
        System.out.println("(a) non-streamed request, sync request check  (" + requests * rounds + " requests per mode)");
        System.out.printf("%-16s %9s %9s %12s %12s%n", "mode", "p50_ms", "p99_ms", "added_p50", "added_p99");
        double offP50 = percentile(latency.get("off"), 50);
        double offP99 = percentile(latency.get("off"), 99);
        latency.forEach((name, values) -> System.out.printf("%-16s %9.2f %9.2f %12.2f %12.2f%n", name,
                percentile(values, 50), percentile(values, 99), percentile(values, 50) - offP50, percentile(values, 99) - offP99));
        System.out.println();
        System.out.println("(b) streamed answer (" + ANSWER.length() + " chars in 9-char chunks every " + chunkDelayMs
                + " ms; " + streams * rounds + " streams per mode)");
        System.out.println("chunks/s = content chunks / (request sent -> last chunk received)");
        System.out.printf("%-16s %12s %14s %14s%n", "mode", "ttft_p50_ms", "chunks/s_p50", "rate_vs_off");
        double offRate = percentile(rate.get("off"), 50);
        ttft.forEach((name, values) -> System.out.printf("%-16s %12.1f %14.1f %13.2fx%n", name, percentile(values, 50),
                percentile(rate.get(name), 50), percentile(rate.get(name), 50) / offRate));
        System.out.printf("%n(2 cores, load average %s)%n", loadAverage());
    }

    private static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (Exception e) {
            return "unknown";
        }
    }

    private EnforcementBench() {
    }
}

package io.guardstream.streams;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.guardstream.streams.config.StreamProcessorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code guardstream stream-processor [--config FILE] [--bootstrap HOST:PORT] [--registry URL] [--model-url URL]
 * [--admin-port N] [--topic-prefix P] [--only checks|audit]}: runs the stream processor until terminated.
 */
public final class StreamProcessorMain {

    private static final Logger log = LoggerFactory.getLogger(StreamProcessorMain.class);

    private StreamProcessorMain() {
    }

    public static void main(String[] args) throws Exception {
        StreamProcessorConfig config;
        try {
            config = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("stream-processor: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        StreamProcessor processor = StreamProcessor.create(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                processor.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("Unclean stop", e);
            }
            stopped.countDown();
        }, "guardstream-shutdown"));
        processor.start().toCompletableFuture().get();
        if (config.admin().token() == null || config.admin().token().isBlank()) {
            log.warn("No admin.token configured; generated admin token for this run: {}", processor.config().admin().token());
        }
        stopped.await();
    }

    static StreamProcessorConfig parse(String[] args, Map<String, String> env) {
        Map<String, String> overrides = new HashMap<>();
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            String key = switch (arg) {
                case "--bootstrap" -> "kafka.bootstrap";
                case "--registry" -> "kafka.registryUrl";
                case "--model-url" -> "guard.modelUrl";
                case "--admin-port" -> "admin.port";
                case "--topic-prefix" -> "topics.prefix";
                case "--config", "--only" -> arg;
                case "-h", "--help" -> throw new IllegalArgumentException("help");
                default -> throw new IllegalArgumentException("unknown option " + arg);
            };
            if (value == null) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            i++;
            if (key.equals("--config")) {
                configFile = Path.of(value);
            } else if (key.equals("--only")) {
                overrides.put("checks.enabled", String.valueOf(value.equals("checks")));
                overrides.put("audit.enabled", String.valueOf(value.equals("audit")));
                if (!value.equals("checks") && !value.equals("audit")) {
                    throw new IllegalArgumentException("--only takes checks or audit");
                }
            } else {
                overrides.put(key, value);
            }
        }
        return StreamProcessorConfig.load(configFile, env::get, overrides);
    }

    static String usage() {
        return "usage: stream-processor [--config FILE] [--bootstrap HOST:PORT] [--registry URL] [--model-url URL]"
                + " [--admin-port N] [--topic-prefix PREFIX] [--only checks|audit]\n"
                + "settings can also come from GUARDSTREAM_* variables, e.g. GUARDSTREAM_GUARD_MODEL_URL for guard.modelUrl";
    }
}

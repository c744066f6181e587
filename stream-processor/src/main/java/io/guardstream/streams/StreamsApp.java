package io.guardstream.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Kafka Streams application with start and stop as futures. A failed stream thread is replaced, never fatal. */
public final class StreamsApp {

    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

    private final String name;
    private final KafkaStreams streams;
    private final CompletableFuture<Void> running = new CompletableFuture<>();

    public StreamsApp(String name, Topology topology, Properties props) {
        this.name = name;
        this.streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread of the {} app failed; replacing it", name, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            log.info("{} app: {} -> {}", name, before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.complete(null);
            } else if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                running.completeExceptionally(new IllegalStateException(name + " app stopped in state " + now));
            }
        });
    }

    /** Starts the app; the stage completes once it is RUNNING (all tasks assigned and restored). */
    public CompletionStage<Void> start(Duration timeout) {
        streams.start();
        return running.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Closes the app on its own thread, waiting up to {@code timeout} for a clean shutdown. */
    public CompletionStage<Void> stop(Duration timeout) {
        return CompletableFuture.runAsync(() -> {
            if (!streams.close(timeout)) {
                log.warn("{} app did not shut down within {}", name, timeout);
            }
        }, r -> {
            Thread t = new Thread(r, "guardstream-" + name + "-close");
            t.setDaemon(true);
            t.start();
        });
    }

    public KafkaStreams streams() {
        return streams;
    }

    public String name() {
        return name;
    }
}

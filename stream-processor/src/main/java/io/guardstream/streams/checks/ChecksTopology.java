package io.guardstream.streams.checks;

import java.time.Clock;
import java.time.Duration;

import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.streams.config.TopicNames;
import io.guardstream.streams.guard.GuardClient;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The in-flight {@code checks} app: {@code guard.checks.v1} → micro-batched guard calls → each verdict to
 * {@code guard.replies.v1} (on the asking gateway's partition) and to {@code guard.verdicts.v1}.
 */
public final class ChecksTopology {

    public static final String SOURCE = "checks-source";
    public static final String BATCHER = "guard-batcher";
    public static final String REPLIES_SINK = "replies-sink";
    public static final String VERDICTS_SINK = "verdicts-sink";

    private ChecksTopology() {
    }

    /**
     * @param maxRecords judge a batch when this many checks wait on a stream thread
     * @param maxWait    judge a batch when its oldest check waited this long (wall clock); a check arriving after the
     *                   thread was idle this long is judged at once; zero disables batching
     */
    public static Topology build(TopicNames topics, Serde<GuardCheck> checkSerde, Serde<GuardVerdict> verdictSerde,
                                 GuardClient guard, int maxRecords, Duration maxWait, Clock clock) {
        RoutedVerdictSerializer verdictSerializer = new RoutedVerdictSerializer(verdictSerde.serializer());
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), checkSerde.deserializer(), topics.checks());
        ThreadLocal<ThreadBatch> batches = ThreadLocal.withInitial(() -> new ThreadBatch(guard, clock));
        topology.addProcessor(BATCHER, () -> new GuardBatchProcessor(batches, maxRecords, maxWait), SOURCE);
        topology.addSink(REPLIES_SINK, topics.replies(), Serdes.String().serializer(), verdictSerializer,
                new ReplyPartitioner(), BATCHER);
        topology.addSink(VERDICTS_SINK, topics.verdicts(), Serdes.String().serializer(), verdictSerializer, BATCHER);
        return topology;
    }
}

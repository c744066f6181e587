package io.guardstream.streams.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import io.guardstream.avro.GuardCheck;
import io.guardstream.avro.GuardVerdict;
import io.guardstream.kafka.Topics;
import io.guardstream.streams.testing.Samples;
import io.guardstream.testing.AvroFixtures;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ReplyPartitionerTest {

    private final ReplyPartitioner partitioner = new ReplyPartitioner();
    private final GuardVerdict verdict = AvroFixtures.verdict("v-1");

    @Test
    void shouldRouteVerdictToReplyPartition() {
        assertThat(partitioner.partitions(Topics.REPLIES, "ex-1", new RoutedVerdict(verdict, 5), 8)).contains(Set.of(5));
    }

    @Test
    void shouldFallBackToKeyPartitioningWithoutOrOutOfRangePartition() {
        assertThat(partitioner.partitions(Topics.REPLIES, "ex-1", new RoutedVerdict(verdict, null), 8)).isEqualTo(Optional.empty());
        assertThat(partitioner.partitions(Topics.REPLIES, "ex-1", new RoutedVerdict(verdict, 8), 8)).isEqualTo(Optional.empty());
        assertThat(partitioner.partitions(Topics.REPLIES, "ex-1", new RoutedVerdict(verdict, -1), 8)).isEqualTo(Optional.empty());
    }

    @Test
    void shouldReadTheHeaderAsDecimalOrBigEndianIntAndPreferItOverTheField() {
        GuardCheck check = Samples.requestCheck("c-1", "hi", Instant.EPOCH);
        check.setReplyPartition(2);
        RecordHeaders decimal = new RecordHeaders();
        decimal.add(Topics.REPLY_PARTITION_HEADER, "7".getBytes());
        RecordHeaders binary = new RecordHeaders();
        binary.add(Topics.REPLY_PARTITION_HEADER, ByteBuffer.allocate(4).putInt(3).array());

        assertThat(ReplyPartitions.of(decimal, check)).isEqualTo(7);
        assertThat(ReplyPartitions.of(binary, check)).isEqualTo(3);
        assertThat(ReplyPartitions.of(new RecordHeaders(), check)).isEqualTo(2);
    }
}

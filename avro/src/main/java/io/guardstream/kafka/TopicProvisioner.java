package io.guardstream.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates GuardStream's topics when they are missing; existing topics are left as they are. */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    /** In-flight work and replies are useless after minutes; a day is plenty for replays and debugging. */
    private static final long IN_FLIGHT_RETENTION_MS = 24L * 60 * 60 * 1000;

    private TopicProvisioner() {
    }

    /** The topics ARCHITECTURE.md names, with partitions and retention from the settings. */
    public static List<NewTopic> plan(TopicSettings settings) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(topic(settings, Topics.CHECKS, settings.partitions(), IN_FLIGHT_RETENTION_MS));
        topics.add(topic(settings, Topics.REPLIES, settings.replyPartitions(), IN_FLIGHT_RETENTION_MS));
        topics.add(topic(settings, Topics.EXCHANGES, settings.partitions(), settings.retentionMs()));
        topics.add(topic(settings, Topics.VERDICTS, settings.partitions(), settings.retentionMs()));
        topics.add(topic(settings, Topics.ALERTS, settings.partitions(), settings.retentionMs()));
        topics.add(topic(settings, Topics.DLQ, 1, settings.retentionMs()));
        return topics;
    }

    /** Creates whichever planned topics do not exist yet; returns the names it created. */
    public static List<String> ensureTopics(Admin admin, TopicSettings settings) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = plan(settings).stream().filter(t -> !existing.contains(t.name())).toList();
            List<String> created = new ArrayList<>();
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
            if (!created.isEmpty()) {
                log.info("Created topics {}", created);
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot list topics: " + e.getMessage(), e);
        }
    }

    private static NewTopic topic(TopicSettings settings, String name, int partitions, long retentionMs) {
        return new NewTopic(settings.name(name), Optional.of(partitions), Optional.of(settings.replicationFactor()))
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retentionMs)));
    }
}

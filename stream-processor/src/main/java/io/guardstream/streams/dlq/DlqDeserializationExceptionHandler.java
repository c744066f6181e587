package io.guardstream.streams.dlq;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be deserialized to the dead-letter topic
 * ({@code errors.dead.letter.queue.topic.name}) and resumes, so a poison record never stops the app.
 */
public class DlqDeserializationExceptionHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DlqDeserializationExceptionHandler.class);
    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = DeadLetters.dlqTopic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        log.warn("Unreadable record at {}-{}@{}: {}; {}", context.topic(), context.partition(), context.offset(),
                exception.getMessage(), dlqTopic == null ? "skipped" : "sent to " + dlqTopic);
        if (dlqTopic == null) {
            return Response.resume();
        }
        return Response.resume(List.of(DeadLetters.record(dlqTopic, "deserialization", record.key(), record.value(), context, exception)));
    }
}

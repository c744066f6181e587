package io.guardstream.streams.dlq;

import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the source record of a failed processing step to the dead-letter topic and resumes with the next record. */
public class DlqProcessingExceptionHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DlqProcessingExceptionHandler.class);
    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = DeadLetters.dlqTopic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        log.warn("Processing failed in {} for record at {}-{}@{}; {}", context.processorNodeId(), context.topic(),
                context.partition(), context.offset(), dlqTopic == null ? "skipped" : "sent to " + dlqTopic, exception);
        if (dlqTopic == null) {
            return Response.resume();
        }
        return Response.resume(List.of(DeadLetters.record(dlqTopic, "processing",
                context.sourceRawKey(), context.sourceRawValue(), context, exception)));
    }
}

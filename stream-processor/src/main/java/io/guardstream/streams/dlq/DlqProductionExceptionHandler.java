package io.guardstream.streams.dlq;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the app alive when an output record cannot be serialized or is refused by the broker for good
 * (e.g. too large): the record is logged and dropped. Retriable errors are retried.
 */
public class DlqProductionExceptionHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DlqProductionExceptionHandler.class);

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        log.error("Dropping output record to {} (from {}-{}@{}): {}", record.topic(), context.topic(), context.partition(),
                context.offset(), exception.toString());
        return Response.resume();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        log.error("Dropping output record to {} that cannot be serialized ({}): {}", record.topic(), origin, exception.toString());
        return Response.resume();
    }
}

package io.guardstream.avro.serde;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro binary body. */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Reads and checks the header, leaving the buffer positioned at the Avro body; returns the schema id. */
    public static int readHeader(String topic, ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException("Record on topic " + topic + " is " + buffer.remaining()
                    + " bytes long, shorter than the 5-byte Confluent wire-format header");
        }
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Record on topic %s starts with byte 0x%02x, not the Confluent wire-format magic byte 0x00",
                    topic, magic));
        }
        return buffer.getInt();
    }

    public static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }
}

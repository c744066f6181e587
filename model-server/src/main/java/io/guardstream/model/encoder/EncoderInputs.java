package io.guardstream.model.encoder;

import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The encoder graph's inputs, {@code [batch, tokens]} each: token ids, token type ids and the attention mask. */
public record EncoderInputs(Placeholder<TInt32> ids, Placeholder<TInt32> types, Placeholder<TFloat32> mask) {

    /** Placeholders of rank 2, so that the graph knows its ranks (layer norm's fusion needs them). */
    public static EncoderInputs create(Ops tf) {
        Placeholder.Options rank2 = Placeholder.shape(Shape.of(-1, -1));
        return new EncoderInputs(tf.withName("input_ids").placeholder(TInt32.class, rank2),
                tf.withName("token_type_ids").placeholder(TInt32.class, rank2),
                tf.withName("attention_mask").placeholder(TFloat32.class, rank2));
    }

    /** Feeds {@code batch} to these inputs of {@code runner}; close the returned tensors after the run. */
    public Fed feed(Session.Runner runner, PaddedBatch batch) {
        Shape shape = Shape.of(batch.texts(), batch.tokens());
        Fed fed = new Fed(TInt32.tensorOf(shape, DataBuffers.of(batch.ids(), true, false)),
                TInt32.tensorOf(shape, DataBuffers.of(batch.types(), true, false)),
                TFloat32.tensorOf(shape, DataBuffers.of(batch.mask(), true, false)));
        runner.feed(ids, fed.ids).feed(types, fed.types).feed(mask, fed.mask);
        return fed;
    }

    /** The tensors of one fed batch. */
    public record Fed(TInt32 ids, TInt32 types, TFloat32 mask) implements AutoCloseable {
        @Override
        public void close() {
            ids.close();
            types.close();
            mask.close();
        }
    }
}

package io.guardstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.guardstream.model.encoder.BaseEncoder;
import io.guardstream.model.encoder.LoraAdapter;
import io.guardstream.model.heads.GuardHeads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code TrainMain --adapter / --adapter-init} take a bare adapter file or a guard heads file. */
class AdapterFileTest {

    @TempDir
    Path dir;

    @Test
    void aShippedHeadsFileYieldsItsAdapterAndAnAdapterFileItself() throws IOException {
        Path heads = dir.resolve("guard-heads.bin");
        try (InputStream in = GuardHeads.class.getResourceAsStream(GuardHeads.shippedResource(BaseEncoder.MINILM_L6))) {
            Files.copy(in, heads);
        }
        LoraAdapter shipped = GuardHeads.shipped(BaseEncoder.MINILM_L6).adapter();
        assertThat(GuardHeads.isHeadsFile(heads)).isTrue();
        assertThat(TrainMain.readAdapter(heads).fingerprint()).isEqualTo(shipped.fingerprint());

        Path adapterFile = dir.resolve("encoder-adapter.bin");
        shipped.write(adapterFile);
        assertThat(GuardHeads.isHeadsFile(adapterFile)).isFalse();
        assertThat(TrainMain.readAdapter(adapterFile).fingerprint()).isEqualTo(shipped.fingerprint());
    }

    @Test
    void aFileThatIsNeitherIsRefused() throws IOException {
        Path junk = Files.write(dir.resolve("junk.bin"), new byte[] {1, 2});
        assertThat(GuardHeads.isHeadsFile(junk)).isFalse();
        assertThatThrownBy(() -> TrainMain.readAdapter(junk)).isInstanceOf(IOException.class);
    }
}

package io.guardstream.guardapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

import io.guardstream.avro.ChatMessage;
import io.guardstream.avro.ContentPart;
import io.guardstream.avro.ContentPartType;
import io.guardstream.avro.ImageRef;
import io.guardstream.avro.ImageSource;
import io.guardstream.testing.AvroFixtures;
import org.junit.jupiter.api.Test;

class GuardItemsTest {

    @Test
    void shouldJudgeTheUsersTextAndInlineImagesAsBase64() {
        GuardItem item = GuardItems.item("c-1", AvroFixtures.messages(), "an answer");

        assertThat(item.requestText()).isEqualTo("What is in this picture?");
        assertThat(item.images()).hasSize(1);
        assertThat(Base64.getDecoder().decode(item.images().get(0).data())).containsExactly(0x89, 'P', 'N', 'G');
        assertThat(item.responseText()).isEqualTo("an answer");
    }

    @Test
    void shouldFallBackToImageUrlsAndToAllTextWithoutUserMessages() {
        ImageRef byUrl = ImageRef.newBuilder().setSha256("ab").setSizeBytes(0).setSource(ImageSource.URL)
                .setUrl("https://example.org/cat.png").setInlineBytes((ByteBuffer) null).build();
        List<ChatMessage> messages = List.of(ChatMessage.newBuilder().setRole("system").setParts(List.of(
                ContentPart.newBuilder().setType(ContentPartType.TEXT).setText("be nice").build(),
                ContentPart.newBuilder().setType(ContentPartType.IMAGE).setImage(byUrl).build())).build());

        GuardItem item = GuardItems.item("c-2", messages, null);

        assertThat(item.requestText()).isEqualTo("be nice");
        assertThat(item.images()).containsExactly(GuardItem.Image.ofUrl("https://example.org/cat.png"));
        assertThat(item.responseText()).isNull();
    }
}

package io.guardstream.guardapi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.guardstream.avro.ChatMessage;
import io.guardstream.avro.ContentPart;
import io.guardstream.avro.ContentPartType;
import io.guardstream.avro.ImageRef;

/** Turns chat messages into the guard's request text and images. */
public final class GuardItems {

    private GuardItems() {
    }

    /** Text of the user's messages (all messages when there is no user message), one per line. */
    public static String requestText(List<ChatMessage> messages) {
        List<String> user = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (ChatMessage message : messages) {
            for (ContentPart part : message.getParts()) {
                if (part.getType() == ContentPartType.TEXT && part.getText() != null && !part.getText().isBlank()) {
                    all.add(part.getText());
                    if ("user".equals(message.getRole())) {
                        user.add(part.getText());
                    }
                }
            }
        }
        return String.join("\n", user.isEmpty() ? all : user);
    }

    /** Images of the messages: inline (downscaled) bytes as base64 when present, else the URL; unusable ones skipped. */
    public static List<GuardItem.Image> images(List<ChatMessage> messages) {
        List<GuardItem.Image> images = new ArrayList<>();
        for (ChatMessage message : messages) {
            for (ContentPart part : message.getParts()) {
                ImageRef ref = part.getImage();
                if (part.getType() != ContentPartType.IMAGE || ref == null) {
                    continue;
                }
                ByteBuffer inline = ref.getInlineBytes();
                if (inline != null && inline.remaining() > 0) {
                    ByteBuffer copy = inline.duplicate();
                    byte[] bytes = new byte[copy.remaining()];
                    copy.get(bytes);
                    images.add(GuardItem.Image.ofData(Base64.getEncoder().encodeToString(bytes)));
                } else if (ref.getUrl() != null) {
                    images.add(GuardItem.Image.ofUrl(ref.getUrl()));
                }
            }
        }
        return images;
    }

    public static GuardItem item(String id, List<ChatMessage> messages, String responseText) {
        return item(id, messages, responseText, true);
    }

    public static GuardItem item(String id, List<ChatMessage> messages, String responseText, boolean reasoning) {
        return new GuardItem(id, requestText(messages), images(messages), responseText, reasoning);
    }
}

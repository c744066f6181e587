package io.guardstream.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.guardstream.gateway.policy.Modes.RequestMode;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {

  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void shouldApplyAnEditedFileWithoutRestartAndKeepTheOldPoliciesWhenTheNewFileIsInvalid() throws Exception {
    Path file = dir.resolve("policies.yaml");
    Files.writeString(file, "policies:\n  default: {request: sync}\n");
    PolicyStore store = PolicyStore.watch(vertx, file, 50).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(store.forName("default").request).isEqualTo(RequestMode.SYNC);

    Files.writeString(file, "policies:\n  default: {request: audit}\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> store.forName("default").request == RequestMode.AUDIT);

    Files.writeString(file, "policies:\n  default: {request: whenever}\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> store.rejectedReloads() == 1);
    assertThat(store.forName("default").request).as("old policy kept").isEqualTo(RequestMode.AUDIT);
    assertThat(store.lastError()).contains("whenever");

    Files.writeString(file, "policies:\n  default: {request: parallel}\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> store.forName("default").request == RequestMode.PARALLEL);
    assertThat(store.lastError()).isNull();
    store.close();
  }

  @Test
  void shouldRefuseToStartOnAnInvalidFile() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "policies:\n  default: {windowChars: 1}\n");
    Throwable failure = PolicyStore.watch(vertx, file, 50).toCompletionStage().toCompletableFuture()
        .handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
    assertThat(failure).hasMessageContaining("windowChars");
  }
}

package io.guardstream.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

  @TempDir
  Path dir;

  @Test
  void recordsComeOutInOrderAndSurviveAReopen() {
    try (DiskSpool spool = new DiskSpool(dir, 1024)) {
      for (int i = 0; i < 5; i++) {
        assertThat(spool.append(("r" + i).getBytes())).isTrue();
      }
      assertThat(spool.peek(2)).extracting(String::new).containsExactly("r0", "r1");
      spool.advance(2);
      assertThat(spool.size()).isEqualTo(3);
    }
    try (DiskSpool reopened = new DiskSpool(dir, 1024)) {
      assertThat(reopened.size()).isEqualTo(3);
      assertThat(reopened.peek(10)).extracting(String::new).containsExactly("r2", "r3", "r4");
      reopened.advance(3);
      assertThat(reopened.isEmpty()).isTrue();
      assertThat(reopened.pendingBytes()).isZero();
    }
  }

  @Test
  void refusesRecordsPastItsByteLimit() {
    try (DiskSpool spool = new DiskSpool(dir, 20)) {
      assertThat(spool.append(new byte[10])).isTrue();
      assertThat(spool.append(new byte[10])).isFalse();
      assertThat(spool.size()).isEqualTo(1);
      spool.advance(1);
      assertThat(spool.append(new byte[10])).isTrue();
    }
  }

  @Test
  void aTornTailRecordIsDroppedOnOpen() throws Exception {
    try (DiskSpool spool = new DiskSpool(dir, 1024)) {
      spool.append("whole".getBytes());
    }
    Files.write(dir.resolve("spool.log"), new byte[] {0, 0, 0, 50, 1, 2}, StandardOpenOption.APPEND);
    try (DiskSpool spool = new DiskSpool(dir, 1024)) {
      assertThat(spool.size()).isEqualTo(1);
      assertThat(spool.peek(5)).extracting(String::new).isEqualTo(List.of("whole"));
      assertThat(spool.append("next".getBytes())).isTrue();
      assertThat(spool.peek(5)).extracting(String::new).containsExactly("whole", "next");
    }
  }
}

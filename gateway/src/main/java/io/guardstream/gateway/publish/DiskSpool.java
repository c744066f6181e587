package io.guardstream.gateway.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded, append-only, on-disk FIFO of byte records ({@code [int length][bytes]} in
 * {@code spool.log}, read position in {@code spool.pos}). Records survive a restart and come out
 * in the order they went in. Not thread-safe: one publisher thread owns it.
 *
 * <p>Writes reach the OS page cache, not necessarily the disk: a process crash loses nothing, a
 * power loss may lose the tail.
 */
public final class DiskSpool implements AutoCloseable {

  private final Path logFile;
  private final Path posFile;
  private final long maxBytes;
  private final FileChannel log;
  private long readPos;
  private long count;

  public DiskSpool(Path dir, long maxBytes) {
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(dir);
      this.logFile = dir.resolve("spool.log");
      this.posFile = dir.resolve("spool.pos");
      this.log = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      this.readPos = Files.exists(posFile) ? Long.parseLong(Files.readString(posFile).trim()) : 0;
      long end = validEnd();
      if (end < log.size()) {
        log.truncate(end);
      }
      this.count = countFrom(readPos);
      log.position(log.size());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open exchange spool in " + dir, e);
    }
  }

  /** Appends a record; false (nothing written) when it would take the backlog past the byte limit. */
  public boolean append(byte[] record) {
    try {
      if (pendingBytes() + record.length + 4 > maxBytes) {
        return false;
      }
      ByteBuffer buf = ByteBuffer.allocate(4 + record.length).putInt(record.length).put(record).flip();
      long pos = log.size();
      while (buf.hasRemaining()) {
        pos += log.write(buf, pos);
      }
      count++;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Up to {@code max} records from the head, without removing them. */
  public List<byte[]> peek(int max) {
    List<byte[]> out = new ArrayList<>();
    try {
      long pos = readPos;
      long size = log.size();
      ByteBuffer len = ByteBuffer.allocate(4);
      while (out.size() < max && pos + 4 <= size) {
        len.clear();
        log.read(len, pos);
        int n = len.flip().getInt();
        ByteBuffer data = ByteBuffer.allocate(n);
        while (data.hasRemaining()) {
          log.read(data, pos + 4 + data.position());
        }
        out.add(data.array());
        pos += 4 + n;
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes {@code n} records from the head (after they were delivered). */
  public void advance(int n) {
    try {
      ByteBuffer len = ByteBuffer.allocate(4);
      for (int i = 0; i < n && count > 0; i++) {
        len.clear();
        log.read(len, readPos);
        readPos += 4 + len.flip().getInt();
        count--;
      }
      if (count == 0) {
        log.truncate(0);
        readPos = 0;
      }
      Files.writeString(posFile, Long.toString(readPos));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long size() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  public long pendingBytes() {
    try {
      return log.size() - readPos;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long maxBytes() {
    return maxBytes;
  }

  private long validEnd() throws IOException {
    long pos = readPos;
    long size = log.size();
    ByteBuffer len = ByteBuffer.allocate(4);
    while (pos + 4 <= size) {
      len.clear();
      log.read(len, pos);
      int n = len.flip().getInt();
      if (n < 0 || pos + 4 + n > size) {
        break;
      }
      pos += 4 + n;
    }
    return pos;
  }

  private long countFrom(long start) throws IOException {
    long pos = start;
    long n = 0;
    long size = log.size();
    ByteBuffer len = ByteBuffer.allocate(4);
    while (pos + 4 <= size) {
      len.clear();
      log.read(len, pos);
      pos += 4 + len.flip().getInt();
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    try {
      log.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

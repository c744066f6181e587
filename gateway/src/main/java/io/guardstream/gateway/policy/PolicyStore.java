package io.guardstream.gateway.policy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the policies in force and reloads them when the policy file changes, without a restart. A file
 * that fails to parse or validate is refused: the previous policies stay in force and the reason is
 * logged. The file is small and read through Vert.x's non-blocking file system API once per interval.
 */
public final class PolicyStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PolicyStore.class);
  public static final long DEFAULT_CHECK_INTERVAL_MS = 1_000;

  private final Vertx vertx;
  private final Path file;
  private final AtomicReference<PolicySet> current;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong rejectedReloads = new AtomicLong();
  private volatile String lastSeen = "";
  private volatile String lastError;
  private long timerId = -1;

  private PolicyStore(Vertx vertx, Path file, PolicySet initial) {
    this.vertx = vertx;
    this.file = file;
    this.current = new AtomicReference<>(initial);
  }

  /** Fixed policies, no file. */
  public static PolicyStore of(Vertx vertx, PolicySet policies) {
    return new PolicyStore(vertx, null, policies);
  }

  /** Loads the file now (failing when it is invalid: there is nothing older to fall back on), then watches it. */
  public static Future<PolicyStore> watch(Vertx vertx, Path file, long checkIntervalMs) {
    PolicyStore store = new PolicyStore(vertx, file, PolicySet.defaults());
    return store.readIfChanged().compose(changed -> {
      if (store.lastError != null) {
        return Future.failedFuture(new IllegalArgumentException("Invalid policy file " + file + ": " + store.lastError));
      }
      store.timerId = vertx.setPeriodic(checkIntervalMs, id -> store.readIfChanged());
      return Future.succeededFuture(store);
    });
  }

  public PolicySet current() {
    return current.get();
  }

  public Policy forName(String name) {
    return current.get().forName(name);
  }

  public long reloads() {
    return reloads.get();
  }

  public long rejectedReloads() {
    return rejectedReloads.get();
  }

  /** Why the newest version of the file was refused, or null when it is in force. */
  public String lastError() {
    return lastError;
  }

  /** Checks the file once; completes with true when new policies took effect. */
  Future<Boolean> readIfChanged() {
    if (file == null) {
      return Future.succeededFuture(false);
    }
    String path = file.toString();
    return vertx.fileSystem().readFile(path)
        .map(content -> {
          String text = content.toString();
          if (text.equals(lastSeen)) {
            return false;
          }
          lastSeen = text;
          return apply(text);
        })
        .recover(e -> {
          String reason = "cannot read " + path + ": " + e.getMessage();
          if (!reason.equals(lastError)) {
            log.warn("Policy file {}; keeping the policies in force", reason);
          }
          lastError = reason;
          lastSeen = "";
          return Future.succeededFuture(false);
        });
  }

  private boolean apply(String yaml) {
    try {
      PolicySet parsed = PolicySet.parse(yaml);
      current.set(parsed);
      lastError = null;
      reloads.incrementAndGet();
      log.info("Policies loaded from {}: {}", file, parsed.all().keySet());
      return true;
    } catch (IllegalArgumentException e) {
      lastError = e.getMessage();
      rejectedReloads.incrementAndGet();
      log.warn("Policy file {} refused, keeping the policies in force: {}", file, e.getMessage());
      return false;
    }
  }

  @Override
  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }
}

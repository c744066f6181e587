package io.guardstream.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Wraps the upstream response for {@code pipe()}: every chunk is shown to a side tap, optionally
 * transformed through a Future (the source stays paused until it completes), and an upstream
 * failure can be turned into final bytes (an SSE error event) followed by a normal end.
 * Demand from the pipe is passed to the source untouched, so backpressure holds end to end.
 * The source's read deadline sees its data, and time the relay keeps it paused is not counted as silence.
 */
final class RelayStream implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final Consumer<Buffer> tap;
  private final Function<Buffer, Future<Buffer>> transform;
  private final Supplier<Future<Buffer>> onEnd;
  private final Function<Throwable, Buffer> onFailure;
  private final BooleanSupplier stopRequested;
  private final Runnable cancelSource;
  private final ReadDeadlines.Watch deadline;

  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean downstreamPaused;
  private boolean busy;
  private boolean sourceEnded;
  private boolean finished;

  /**
   * @param stopRequested asked after each transformed chunk: true ends the stream normally right there
   * @param cancelSource called once when the stream was stopped that way, to cancel the upstream call
   * @param deadline the source's read deadline, or null
   */
  RelayStream(ReadStream<Buffer> source, Consumer<Buffer> tap, Function<Buffer, Future<Buffer>> transform,
              Supplier<Future<Buffer>> onEnd, Function<Throwable, Buffer> onFailure,
              BooleanSupplier stopRequested, Runnable cancelSource, ReadDeadlines.Watch deadline) {
    this.source = source;
    this.tap = tap;
    this.transform = transform;
    this.onEnd = onEnd;
    this.onFailure = onFailure;
    this.stopRequested = stopRequested;
    this.cancelSource = cancelSource;
    this.deadline = deadline;
  }

  @Override
  public RelayStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler == null) {
      source.handler(null);
      source.endHandler(null);
      source.exceptionHandler(null);
    } else {
      source.exceptionHandler(this::onSourceFailure);
      source.endHandler(v -> onSourceEnd());
      source.handler(this::onChunk);
    }
    return this;
  }

  @Override
  public RelayStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public RelayStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public RelayStream pause() {
    downstreamPaused = true;
    pauseSource();
    return this;
  }

  @Override
  public RelayStream resume() {
    downstreamPaused = false;
    if (!busy) {
      resumeSource();
    }
    return this;
  }

  @Override
  public RelayStream fetch(long amount) {
    if (!busy) {
      source.fetch(amount);
      held(false);
    }
    return this;
  }

  private void pauseSource() {
    source.pause();
    held(true);
  }

  private void resumeSource() {
    source.resume();
    held(false);
  }

  private void held(boolean held) {
    if (deadline != null) {
      deadline.held(held);
    }
  }

  private void onChunk(Buffer chunk) {
    if (finished) {
      return;
    }
    if (deadline != null) {
      deadline.data();
    }
    if (tap != null) {
      tap.accept(chunk);
    }
    if (transform == null) {
      emit(chunk);
      return;
    }
    busy = true;
    pauseSource();
    transform.apply(chunk).onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        onSourceFailure(ar.cause());
        return;
      }
      emit(ar.result());
      if (stopRequested.getAsBoolean()) {
        end();
        source.handler(null);
        cancelSource.run();
      } else if (sourceEnded) {
        finishStream();
      } else if (!downstreamPaused) {
        resumeSource();
      }
    });
  }

  private void onSourceEnd() {
    sourceEnded = true;
    if (deadline != null) {
      deadline.cancel();
    }
    if (!busy) {
      finishStream();
    }
  }

  private void finishStream() {
    if (finished) {
      return;
    }
    if (onEnd == null) {
      end();
      return;
    }
    busy = true;
    onEnd.get().onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        onSourceFailure(ar.cause());
        return;
      }
      emit(ar.result());
      end();
    });
  }

  private void onSourceFailure(Throwable failure) {
    if (finished) {
      return;
    }
    Buffer last = onFailure == null ? null : onFailure.apply(failure);
    if (last != null) {
      emit(last);
      end();
      return;
    }
    finished = true;
    if (exceptionHandler != null) {
      exceptionHandler.handle(failure);
    }
  }

  private void end() {
    finished = true;
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  private void emit(Buffer buffer) {
    if (buffer != null && buffer.length() > 0 && handler != null) {
      handler.handle(buffer);
    }
  }
}

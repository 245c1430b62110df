package org.flashflow.coord.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.TorPort;
import org.flashflow.coord.V3bwTrigger;
import org.flashflow.coord.results.ConsensusStore;
import org.flashflow.coord.results.StaleResultsException;
import org.flashflow.coord.results.V3bwGenerator;
import org.flashflow.torctl.RouterStatus;
import org.flashflow.torctl.TorCallback;
import org.flashflow.torctl.TorFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes bandwidth files for the running coordinator: asks tor for the consensus (saving it for the
 * offline {@code flashflow v3bw}), falls back to the consensus saved last when tor cannot answer,
 * and does the file work on the I/O thread so the loop never waits on the disk.
 */
final class V3bwService implements V3bwTrigger {
  private static final Logger log = LoggerFactory.getLogger(V3bwService.class);

  private final Loop loop;
  private final TorPort tor;
  private final V3bwGenerator generator;
  private final ConsensusStore store;
  private final ExecutorService io;
  private final Clock clock;

  V3bwService(
      Loop loop,
      TorPort tor,
      V3bwGenerator generator,
      ConsensusStore store,
      ExecutorService io,
      Clock clock) {
    this.loop = loop;
    this.tor = tor;
    this.generator = generator;
    this.store = store;
    this.io = io;
    this.clock = clock;
  }

  @Override
  public void writeNow(Consumer<Result> done) {
    loop.checkInLoop();
    tor.consensus(
        new TorCallback<>() {
          @Override
          public void onSuccess(List<RouterStatus> consensus) {
            offload(() -> write(consensus), done);
          }

          @Override
          public void onError(TorFailure failure) {
            log.warn(
                "cannot get the consensus from tor ({}); using the one saved in {}",
                failure,
                store.file());
            offload(() -> generator.generate(store), done);
          }
        });
  }

  /**
   * Fetches tor's consensus and saves it for the offline {@code flashflow v3bw}; called when tor
   * becomes usable, so the saved copy exists even if no bandwidth file was written yet.
   */
  void refreshConsensus() {
    loop.checkInLoop();
    tor.consensus(
        new TorCallback<>() {
          @Override
          public void onSuccess(List<RouterStatus> consensus) {
            if (consensus.isEmpty()) {
              log.info("tor has no consensus yet; nothing to save");
              return;
            }
            try {
              io.execute(() -> save(consensus));
            } catch (RejectedExecutionException e) {
              log.debug("not saving the consensus: shutting down");
            }
          }

          @Override
          public void onError(TorFailure failure) {
            log.warn("cannot get the consensus from tor to save it: {}", failure);
          }
        });
  }

  private void save(List<RouterStatus> consensus) {
    try {
      store.save(consensus, clock.instant());
      log.info("saved tor's consensus ({} relays) in {}", consensus.size(), store.file());
    } catch (IOException | RuntimeException e) {
      log.error("cannot save the consensus in {}: {}", store.file(), e.toString());
    }
  }

  private Path write(List<RouterStatus> consensus) throws IOException, StaleResultsException {
    if (!consensus.isEmpty()) {
      store.save(consensus, clock.instant());
    }
    return consensus.isEmpty() ? generator.generate(store) : generator.generate(consensus);
  }

  /** The part of a write that touches files. */
  @FunctionalInterface
  private interface FileWork {
    Path run() throws IOException, StaleResultsException;
  }

  private void offload(FileWork work, Consumer<Result> done) {
    try {
      io.execute(
          () -> {
            Result r;
            try {
              r = new Written(work.run());
            } catch (StaleResultsException e) {
              r = new NotWritten(e.getMessage());
            } catch (IOException | RuntimeException e) {
              log.error("writing the bandwidth file failed", e);
              r = new NotWritten("writing the bandwidth file failed: " + e.getMessage());
            }
            Result result = r;
            loop.execute(() -> done.accept(result));
          });
    } catch (RejectedExecutionException e) {
      done.accept(new NotWritten("the coordinator is shutting down"));
    }
  }
}

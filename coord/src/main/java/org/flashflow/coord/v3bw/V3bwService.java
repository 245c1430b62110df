package org.flashflow.coord.v3bw;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.flashflow.common.io.RepeatedFailure;
import org.flashflow.common.loop.Loop;
import org.flashflow.coord.core.CoordMetrics;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.core.TorPort;
import org.flashflow.coord.results.LatestResults;
import org.flashflow.coord.results.LatestResultsCache;
import org.flashflow.coord.results.RecentOutcomes;
import org.flashflow.coord.results.ResultsLogReader;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.ServerDescriptor;
import org.flashflow.torctl.model.TorCallback;
import org.flashflow.torctl.model.TorFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes bandwidth files for the running coordinator: asks tor for the consensus (saving it for the
 * offline {@code flashflow v3bw}), falls back to the consensus saved last when tor cannot answer,
 * and does the file work on the I/O thread so the loop never waits on the disk.
 *
 * <p>The results come from memory ({@link LatestResultsCache}, owned by the loop): loaded by one
 * streaming pass over the log at startup ({@link #loadLatest}), then updated by every record made
 * durable ({@link #recordWritten}). So a file costs O(relays), not a read of the log. Until the
 * startup pass is done, a file is made the offline way, by streaming the log.
 */
public final class V3bwService implements V3bwTrigger {
  private static final Logger log = LoggerFactory.getLogger(V3bwService.class);

  private final Loop loop;
  private final TorPort tor;
  private final V3bwGenerator generator;
  private final ConsensusStore store;
  private final DescriptorStore descriptors;
  private final ExecutorService io;
  private final Clock clock;
  private final ResultsLogReader reader;
  private final LatestResultsCache latest = new LatestResultsCache();
  private Optional<Eligibility> lastEligibility = Optional.empty();
  private final CoordMetrics metrics;
  private Optional<V3bwGenerator.Generated> lastWritten = Optional.empty();

  /** A bandwidth file that cannot be written (full disk) logs its ERROR at most this often. */
  static final Duration WRITE_ERROR_EVERY = Duration.ofMinutes(1);

  private final RepeatedFailure writeFailure =
      new RepeatedFailure(log, "writing the bandwidth file", WRITE_ERROR_EVERY);

  public V3bwService(
      Loop loop,
      TorPort tor,
      V3bwGenerator generator,
      ConsensusStore store,
      ExecutorService io,
      Clock clock,
      ResultsLogReader reader) {
    this(loop, tor, generator, store, io, clock, reader, CoordMetrics.NONE);
  }

  /** As above, recording each bandwidth file written into {@code metrics}. */
  public V3bwService(
      Loop loop,
      TorPort tor,
      V3bwGenerator generator,
      ConsensusStore store,
      ExecutorService io,
      Clock clock,
      ResultsLogReader reader,
      CoordMetrics metrics) {
    this.metrics = metrics;
    this.loop = loop;
    this.tor = tor;
    this.generator = generator;
    this.store = store;
    this.descriptors = new DescriptorStore(store.file().getParent());
    this.io = io;
    this.clock = clock;
    this.reader = reader;
  }

  /** Starts the one streaming pass that fills the in-memory results; call once, at startup. */
  public void loadLatest() {
    loop.checkInLoop();
    try {
      io.execute(
          () -> {
            long start = System.nanoTime();
            LatestResults fromLog;
            try {
              fromLog = LatestResultsCache.loadWithOutcomes(reader);
            } catch (IOException | RuntimeException e) {
              // Keep making files the offline way, which reports the same error each time.
              log.error("cannot load the latest results from the results log: {}", e.toString());
              log.debug("loading the latest results failed", e);
              return;
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            loop.execute(
                () -> {
                  latest.loaded(fromLog);
                  log.info(
                      "latest results of {} relays loaded from the results log in {} ms",
                      latest.size(),
                      ms);
                });
          });
    } catch (RejectedExecutionException e) {
      log.debug("not loading the latest results: shutting down");
    }
  }

  /** A record is durable in the results log (the writer's {@code onWritten}, on the loop). */
  public void recordWritten(MeasurementRecord record) {
    loop.checkInLoop();
    latest.accept(record);
  }

  /**
   * Each relay's estimate (bytes/s) of the result a bandwidth file would use, for the schedule;
   * empty while still loading.
   */
  public Optional<java.util.Map<String, Double>> latestEstimates() {
    loop.checkInLoop();
    if (!latest.isLoaded()) {
      return Optional.empty();
    }
    java.util.Map<String, Double> estimates = new java.util.HashMap<>();
    for (LatestResults.Result r : latest.used()) {
      estimates.put(r.relayFp(), r.estimate());
    }
    return Optional.of(estimates);
  }

  /** The last bandwidth file this coordinator wrote since it started, if any. */
  public Optional<V3bwGenerator.Generated> lastWritten() {
    loop.checkInLoop();
    return lastWritten;
  }

  /** Whether the latest results are in memory yet, and for how many relays. */
  public OptionalInt relaysInMemory() {
    loop.checkInLoop();
    return latest.isLoaded() ? OptionalInt.of(latest.size()) : OptionalInt.empty();
  }

  /** For {@code status}. */
  public String statusLine() {
    loop.checkInLoop();
    return latest.isLoaded()
        ? "latest results: " + latest.size() + " relays in memory"
        : "latest results: still loading from the results log";
  }

  /**
   * For {@code status}: whether the last bandwidth file votes ({@link Eligibility}), so that an
   * operator sees why a fresh coordinator's files are ignored by tor.
   */
  public String voteStatusLine() {
    loop.checkInLoop();
    return lastEligibility
        .map(e -> "bandwidth file: " + e.describe(generator.minimumPercentEligible()))
        .orElse("bandwidth file: none written since start");
  }

  @Override
  public void writeNow(Consumer<Result> done) {
    loop.checkInLoop();
    fetch(
        fromTor -> {
          Optional<Snapshot> snapshot = snapshot();
          offload(() -> write(fromTor, snapshot), done);
        });
  }

  /** What tor told us: each part empty when tor could not answer it. */
  private record FromTor(
      List<RouterStatus> consensus, List<ServerDescriptor> descriptors, Optional<String> version) {}

  /** The in-memory results and outcome counts. */
  private record Snapshot(List<LatestResults.Result> results, RecentOutcomes outcomes) {}

  /**
   * Asks tor for its consensus, then its server descriptors and version; delivers all three on the
   * loop, each empty when tor could not answer (the saved copies are used instead).
   */
  private void fetch(Consumer<FromTor> then) {
    tor.consensus(
        new TorCallback<>() {
          @Override
          public void onSuccess(List<RouterStatus> consensus) {
            descriptorsAndVersion(consensus, then);
          }

          @Override
          public void onError(TorFailure failure) {
            log.warn(
                "cannot get the consensus from tor ({}); using the one saved in {}",
                failure,
                store.file());
            then.accept(new FromTor(List.of(), List.of(), Optional.empty()));
          }
        });
  }

  private void descriptorsAndVersion(List<RouterStatus> consensus, Consumer<FromTor> then) {
    tor.serverDescriptors(
        new TorCallback<>() {
          @Override
          public void onSuccess(List<ServerDescriptor> descs) {
            if (descs.isEmpty() && !consensus.isEmpty()) {
              log.info(
                  "tor has no server descriptors (it needs FetchUselessDescriptors 1); using those"
                      + " saved in {}",
                  descriptors.file());
            }
            version(consensus, descs, then);
          }

          @Override
          public void onError(TorFailure failure) {
            log.warn(
                "cannot get server descriptors from tor ({}); using those saved in {}",
                failure,
                descriptors.file());
            version(consensus, List.of(), then);
          }
        });
  }

  private void version(
      List<RouterStatus> consensus, List<ServerDescriptor> descs, Consumer<FromTor> then) {
    tor.torVersion(
        new TorCallback<>() {
          @Override
          public void onSuccess(Optional<String> version) {
            then.accept(new FromTor(consensus, descs, version));
          }

          @Override
          public void onError(TorFailure failure) {
            then.accept(new FromTor(consensus, descs, Optional.empty()));
          }
        });
  }

  /**
   * Fetches tor's consensus and server descriptors and saves them for the offline {@code flashflow
   * v3bw}; called when tor becomes usable, so the saved copies exist even if no bandwidth file was
   * written yet.
   */
  public void refreshConsensus() {
    loop.checkInLoop();
    fetch(
        fromTor -> {
          if (fromTor.consensus().isEmpty()) {
            log.info("no consensus from tor yet; nothing to save");
            return;
          }
          try {
            io.execute(() -> save(fromTor));
          } catch (RejectedExecutionException e) {
            log.debug("not saving the consensus: shutting down");
          }
        });
  }

  private void save(FromTor fromTor) {
    try {
      store.save(fromTor.consensus(), clock.instant());
      log.info("saved tor's consensus ({} relays) in {}", fromTor.consensus().size(), store.file());
      DescriptorStore.Saved d = saveDescriptors(fromTor);
      log.info("saved {} server descriptors in {}", d.byFingerprint().size(), descriptors.file());
    } catch (IOException | RuntimeException e) {
      log.error("cannot save the consensus or descriptors in {}: {}", store.file(), e.toString());
      log.debug("saving tor's consensus or descriptors failed", e);
    }
  }

  /**
   * Merges tor's fresh descriptors into the saved ones (newest per relay, relays of the consensus
   * only), saves the result if tor said anything new, and returns it. A saved file that cannot be
   * read is replaced.
   */
  private DescriptorStore.Saved saveDescriptors(FromTor fromTor) throws IOException {
    DescriptorStore.Saved saved;
    try {
      saved = descriptors.load();
    } catch (IOException e) {
      log.warn("ignoring the saved server descriptors: {}", e.getMessage());
      saved = DescriptorStore.Saved.NONE;
    }
    Set<String> fps = new HashSet<>();
    fromTor.consensus().forEach(rs -> fps.add(rs.fingerprint()));
    DescriptorStore.Saved merged =
        new DescriptorStore.Saved(
            DescriptorStore.merge(saved.byFingerprint(), fromTor.descriptors(), fps),
            fromTor.version().or(saved::torVersion));
    if (!merged.equals(saved)) {
      descriptors.save(merged.byFingerprint().values(), merged.torVersion());
    }
    return merged;
  }

  /** The in-memory results, or empty while they are still loading. */
  private Optional<Snapshot> snapshot() {
    if (!latest.isLoaded()) {
      return Optional.empty();
    }
    long oldestKept = clock.instant().minus(generator.maxResultsAge()).getEpochSecond();
    return Optional.of(new Snapshot(latest.snapshot(), latest.outcomes(oldestKept)));
  }

  /**
   * @param fromTor tor's consensus (empty: the saved one) and descriptors (merged into the saved)
   * @param snapshot the in-memory results; empty: stream the log
   */
  private V3bwGenerator.Generated write(FromTor fromTor, Optional<Snapshot> snapshot)
      throws IOException, StaleResultsException {
    List<RouterStatus> relays = fromTor.consensus();
    DescriptorStore.Saved descs;
    if (relays.isEmpty()) {
      relays = store.load();
      if (relays.isEmpty()) {
        log.warn("no saved consensus in {}: listing measured relays only", store.file());
      }
      descs = descriptors.load();
    } else {
      store.save(relays, clock.instant());
      descs = saveDescriptors(fromTor);
    }
    if (snapshot.isEmpty()) {
      log.info("latest results still loading: reading the results log for this bandwidth file");
      return generator.generateCounted(relays, descs);
    }
    return generator.generateCounted(
        snapshot.get().results(), snapshot.get().outcomes(), relays, descs);
  }

  private void written(V3bwGenerator.Generated g) {
    lastWritten = Optional.of(g);
    metrics.bandwidthFileWritten(g.at(), g.relays());
  }

  /** The part of a write that touches files. */
  @FunctionalInterface
  private interface FileWork {
    V3bwGenerator.Generated run() throws IOException, StaleResultsException;
  }

  private void offload(FileWork work, Consumer<Result> done) {
    try {
      io.execute(
          () -> {
            Result r;
            Optional<Eligibility> eligibility = Optional.empty();
            V3bwGenerator.Generated generated = null;
            Exception failure = null;
            try {
              generated = work.run();
              r = new Written(generated.path());
              eligibility = generator.lastEligibility();
            } catch (StaleResultsException e) {
              r = new NotWritten(e.getMessage());
            } catch (IOException | RuntimeException e) {
              log.debug("writing the bandwidth file failed", e);
              failure = e;
              r = new NotWritten("writing the bandwidth file failed: " + e.getMessage());
            }
            Result result = r;
            Optional<Eligibility> eligible = eligibility;
            Optional<V3bwGenerator.Generated> written = Optional.ofNullable(generated);
            Exception failed = failure;
            loop.execute(
                () -> {
                  if (failed != null) {
                    writeFailure.failed(loop.nanoTime(), failed.toString());
                  } else if (result instanceof Written) {
                    writeFailure.succeeded();
                  }
                  if (eligible.isPresent()) {
                    lastEligibility = eligible;
                  }
                  written.ifPresent(this::written);
                  done.accept(result);
                });
          });
    } catch (RejectedExecutionException e) {
      done.accept(new NotWritten("the coordinator is shutting down"));
    }
  }
}

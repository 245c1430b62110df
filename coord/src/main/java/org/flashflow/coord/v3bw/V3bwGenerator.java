package org.flashflow.coord.v3bw;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flashflow.common.io.IoFutures;
import org.flashflow.coord.results.LatestResults;
import org.flashflow.coord.results.LatestResultsCache;
import org.flashflow.coord.results.RecentOutcomes;
import org.flashflow.coord.results.ResultsLogReader;
import org.flashflow.torctl.model.RouterStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results log in, bandwidth file out: what the offline {@code flashflow v3bw -c coord.ini} does,
 * and the coordinator until its in-memory results are loaded. Streams the whole log (and its
 * rotated siblings), so it blocks for seconds on a large log: run it on an I/O thread, never on the
 * event loop. The running coordinator renders from memory ({@link #generate(Collection,
 * RecentOutcomes, List, DescriptorStore.Saved)}).
 */
public final class V3bwGenerator {
  private static final Logger log = LoggerFactory.getLogger(V3bwGenerator.class);

  private final ResultsLogReader reader;
  private final V3bwWriter writer;
  private final V3bwSettings settings;
  private final Instant generatorStarted;
  private Optional<Eligibility> lastEligibility = Optional.empty();
  private final String softwareVersion;
  private final Clock clock;

  /** With the default settings but {@code maxResultsAge}: no minimum of eligible relays. */
  public V3bwGenerator(
      Path resultsLog,
      Path v3bw,
      Duration maxResultsAge,
      Instant generatorStarted,
      String softwareVersion,
      Clock clock) {
    this(
        resultsLog,
        v3bw,
        V3bwSettings.DEFAULT.withMaxResultsAge(maxResultsAge),
        generatorStarted,
        softwareVersion,
        clock);
  }

  /**
   * @param resultsLog {@code [coord] results_log}
   * @param v3bw {@code [v3bw] v3bw}, the symlink tor reads
   * @param settings {@code [v3bw]} rules and the parameters the header reports
   * @param generatorStarted when the coordinator (or the offline command) started
   */
  public V3bwGenerator(
      Path resultsLog,
      Path v3bw,
      V3bwSettings settings,
      Instant generatorStarted,
      String softwareVersion,
      Clock clock) {
    this.reader = new ResultsLogReader(resultsLog);
    this.writer = new V3bwWriter(v3bw);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.generatorStarted = Objects.requireNonNull(generatorStarted, "generatorStarted");
    this.softwareVersion = Objects.requireNonNull(softwareVersion, "softwareVersion");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code [v3bw] max_results_age}. */
  /**
   * Whether the last file this generator wrote votes; empty before the first. Read it on the thread
   * that calls {@code generate}.
   */
  public Optional<Eligibility> lastEligibility() {
    return lastEligibility;
  }

  /** {@code [v3bw] minimum_percent_eligible_relays}, for messages. */
  public int minimumPercentEligible() {
    return settings.minimumPercentEligible();
  }

  public Duration maxResultsAge() {
    return settings.maxResultsAge();
  }

  /**
   * Writes a bandwidth file for {@code consensus} (may be empty: then only measured relays),
   * without descriptors.
   *
   * @return the new file the {@code v3bw} symlink now points to
   * @throws StaleResultsException if there is no result tor would accept; no file is written
   */
  public Path generate(List<RouterStatus> consensus) throws IOException, StaleResultsException {
    return generate(consensus, DescriptorStore.Saved.NONE);
  }

  /** As {@link #generate(List)}, capping each relay at its descriptor's bandwidth-avg. */
  public Path generate(List<RouterStatus> consensus, DescriptorStore.Saved descriptors)
      throws IOException, StaleResultsException {
    return generateCounted(consensus, descriptors).path();
  }

  /** As {@link #generate(List, DescriptorStore.Saved)}, telling how many relays were measured. */
  public Generated generateCounted(List<RouterStatus> consensus, DescriptorStore.Saved descriptors)
      throws IOException, StaleResultsException {
    Instant now = clock.instant();
    return write(reader.latest(now, settings.maxResultsAge()), consensus, descriptors, now);
  }

  /**
   * One bandwidth file written.
   *
   * @param path the new file the {@code v3bw} symlink now points to
   * @param relays measured relays in it
   * @param at the time in its header
   */
  public record Generated(Path path, int relays, Instant at) {}

  /**
   * As {@link #generate(List)}, but from each relay's newest result kept in memory ({@link
   * LatestResultsCache#snapshot}) instead of the log: O(relays), no log read. Results older than
   * {@code max_results_age} are left out here, at render time.
   */
  public Path generate(
      Collection<LatestResults.Result> newestPerRelay, List<RouterStatus> consensus)
      throws IOException, StaleResultsException {
    return generate(newestPerRelay, new RecentOutcomes(), consensus, DescriptorStore.Saved.NONE);
  }

  /** As {@link #generate(Collection, List)}, with outcome counts and descriptors. */
  public Path generate(
      Collection<LatestResults.Result> newestPerRelay,
      RecentOutcomes outcomes,
      List<RouterStatus> consensus,
      DescriptorStore.Saved descriptors)
      throws IOException, StaleResultsException {
    return generateCounted(newestPerRelay, outcomes, consensus, descriptors).path();
  }

  /** As {@link #generate(Collection, RecentOutcomes, List, DescriptorStore.Saved)}, counted. */
  public Generated generateCounted(
      Collection<LatestResults.Result> newestPerRelay,
      RecentOutcomes outcomes,
      List<RouterStatus> consensus,
      DescriptorStore.Saved descriptors)
      throws IOException, StaleResultsException {
    Instant now = clock.instant();
    return write(
        LatestResultsCache.toLatestResults(newestPerRelay, outcomes, now, settings.maxResultsAge()),
        consensus,
        descriptors,
        now);
  }

  private Generated write(
      LatestResults latest,
      List<RouterStatus> consensus,
      DescriptorStore.Saved descriptors,
      Instant clockNow)
      throws IOException, StaleResultsException {
    Instant now = writer.stamp(clockNow);
    String content =
        BandwidthFile.render(
            latest, consensus, descriptors, settings, generatorStarted, now, softwareVersion);
    Path file = writer.write(content, now);
    lastEligibility = Eligibility.ofHeader(content);
    log.info(
        "bandwidth file {}: {} measured relays, {} in the consensus, {} descriptors",
        file,
        latest.size(),
        consensus.size(),
        descriptors.byFingerprint().size());
    // One line per file, and only for a file that does not vote: a fresh coordinator's files.
    lastEligibility
        .filter(e -> !e.votes())
        .ifPresent(
            e ->
                log.warn(
                    "bandwidth file {} {}", file, e.describe(settings.minimumPercentEligible())));
    return new Generated(file, latest.size(), now);
  }

  /**
   * As {@link #generate(List)}, with the consensus and the descriptors the coordinator last saved
   * (the descriptors in the same datadir as the consensus).
   */
  public Path generate(ConsensusStore store) throws IOException, StaleResultsException {
    return generate(store, new DescriptorStore(store.file().getParent()));
  }

  /**
   * As {@link #generate(List, DescriptorStore.Saved)}, with what the coordinator last saved. The
   * log is read on another thread ({@code results-read}) while this one loads the consensus and the
   * descriptors: parsing the consensus takes one core for a good part of a second, and the log's
   * readers use the others meanwhile.
   */
  public Path generate(ConsensusStore store, DescriptorStore descriptorStore)
      throws IOException, StaleResultsException {
    Instant now = clock.instant();
    ExecutorService reading =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "results-read");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<LatestResults> latest =
          reading.submit(() -> reader.latest(now, settings.maxResultsAge()));
      List<RouterStatus> consensus = store.load();
      if (consensus.isEmpty()) {
        log.warn("no saved consensus in {}: listing measured relays only", store.file());
      }
      DescriptorStore.Saved descriptors = descriptorStore.load();
      if (descriptors.byFingerprint().isEmpty()) {
        log.warn(
            "no saved server descriptors in {}: bw values are not capped at bandwidth-avg",
            descriptorStore.file());
      }
      return write(IoFutures.await(latest, "reading the results log"), consensus, descriptors, now)
          .path();
    } finally {
      reading.shutdownNow();
    }
  }
}

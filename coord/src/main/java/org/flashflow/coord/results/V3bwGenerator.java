package org.flashflow.coord.results;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.flashflow.torctl.RouterStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results log in, bandwidth file out: what the offline {@code flashflow v3bw -c coord.ini} does,
 * and the coordinator until its in-memory results are loaded. Streams the whole log (and its
 * rotated siblings), so it blocks for seconds on a large log: run it on an I/O thread, never on the
 * event loop. The running coordinator renders from memory ({@link #generate(Collection, List)}).
 */
public final class V3bwGenerator {
  private static final Logger log = LoggerFactory.getLogger(V3bwGenerator.class);

  private final ResultsLogReader reader;
  private final V3bwWriter writer;
  private final Duration maxResultsAge;
  private final Instant generatorStarted;
  private final String softwareVersion;
  private final Clock clock;

  /**
   * @param resultsLog {@code [coord] results_log}
   * @param v3bw {@code [v3bw] v3bw}, the symlink tor reads
   * @param maxResultsAge {@code [v3bw] max_results_age}
   * @param generatorStarted when the coordinator (or the offline command) started
   */
  public V3bwGenerator(
      Path resultsLog,
      Path v3bw,
      Duration maxResultsAge,
      Instant generatorStarted,
      String softwareVersion,
      Clock clock) {
    this.reader = new ResultsLogReader(resultsLog);
    this.writer = new V3bwWriter(v3bw);
    this.maxResultsAge = Objects.requireNonNull(maxResultsAge, "maxResultsAge");
    this.generatorStarted = Objects.requireNonNull(generatorStarted, "generatorStarted");
    this.softwareVersion = Objects.requireNonNull(softwareVersion, "softwareVersion");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Writes a bandwidth file for {@code consensus} (may be empty: then only measured relays).
   *
   * @return the new file the {@code v3bw} symlink now points to
   * @throws StaleResultsException if there is no result tor would accept; no file is written
   */
  public Path generate(List<RouterStatus> consensus) throws IOException, StaleResultsException {
    Instant now = clock.instant();
    return write(reader.latest(now, maxResultsAge), consensus, now);
  }

  /**
   * As {@link #generate(List)}, but from each relay's newest result kept in memory ({@link
   * LatestResultsCache#snapshot}) instead of the log: O(relays), no log read. Results older than
   * {@code max_results_age} are left out here, at render time.
   */
  public Path generate(
      Collection<LatestResults.Result> newestPerRelay, List<RouterStatus> consensus)
      throws IOException, StaleResultsException {
    Instant now = clock.instant();
    return write(
        LatestResultsCache.toLatestResults(newestPerRelay, now, maxResultsAge), consensus, now);
  }

  private Path write(LatestResults latest, List<RouterStatus> consensus, Instant now)
      throws IOException, StaleResultsException {
    String content =
        BandwidthFile.render(latest, consensus, generatorStarted, now, softwareVersion);
    Path file = writer.write(content, now);
    log.info(
        "bandwidth file {}: {} measured relays, {} in the consensus",
        file,
        latest.size(),
        consensus.size());
    return file;
  }

  /** As {@link #generate(List)}, with the consensus the coordinator last saved. */
  public Path generate(ConsensusStore store) throws IOException, StaleResultsException {
    List<RouterStatus> consensus = store.load();
    if (consensus.isEmpty()) {
      log.warn("no saved consensus in {}: listing measured relays only", store.file());
    }
    return generate(consensus);
  }
}

package org.flashflow.coord.v3bw;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flashflow.common.testing.ExternalTools;
import org.flashflow.coord.results.ResultsLogReaderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class V3bwGeneratorTest {
  private static final Instant NOW = BandwidthFileTest.NOW;
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir Path dir;

  private Path resultsLog() throws IOException {
    Path log = dir.resolve("results/results.log");
    Files.createDirectories(log.getParent());
    long t = NOW.getEpochSecond();
    Files.writeString(
        log,
        ResultsLogReaderTest.text(
            ResultsLogReaderTest.done(11, BandwidthFileTest.FP_A, t - 3600, 1_234_567, 1_234_568),
            ResultsLogReaderTest.done(12, BandwidthFileTest.FP_B, t - 7200, 400),
            ResultsLogReaderTest.failed(13, BandwidthFileTest.FP_C, t - 60)));
    return log;
  }

  private V3bwGenerator generator(Path log, Instant now) {
    return new V3bwGenerator(
        log,
        dir.resolve("results/v3bw"),
        Duration.ofSeconds(604800),
        BandwidthFileTest.STARTED,
        "0.1.0",
        Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void writesTimestampedFileAndPointsSymlinkAtIt() throws Exception {
    Path log = resultsLog();
    Path file = generator(log, NOW).generate(BandwidthFileTest.CONSENSUS);

    Path link = dir.resolve("results/v3bw");
    assertEquals(dir.resolve("results/v3bw.20261126T132900Z"), file);
    assertEquals(Paths.get("v3bw.20261126T132900Z"), Files.readSymbolicLink(link));
    assertEquals(BandwidthFileTest.GOLDEN_C_FAILED, Files.readString(link));

    Path later = generator(log, NOW.plusSeconds(3600)).generate(BandwidthFileTest.CONSENSUS);
    assertEquals(Paths.get("v3bw.20261126T142900Z"), Files.readSymbolicLink(link));
    String text = Files.readString(link);
    assertTrue(text.startsWith("1795696140\n"), "line 1 is the newest result, not the file time");
    assertTrue(text.contains("file_created=2026-11-26T14:29:00\n"));
    assertTrue(Files.exists(file), "the previous file stays for whoever still reads it");
    assertEquals(
        List.of("results.log", "v3bw", "v3bw.20261126T132900Z", "v3bw.20261126T142900Z"),
        names(later.getParent()));
  }

  @Test
  void staleResultsWriteNoFile() throws Exception {
    Path log = resultsLog();
    V3bwGenerator g = generator(log, NOW.plus(Duration.ofDays(3)).plusSeconds(3601));
    StaleResultsException e =
        assertThrows(StaleResultsException.class, () -> g.generate(BandwidthFileTest.CONSENSUS));
    assertTrue(
        e.getMessage().startsWith("newest result is from 2026-11-26T12:29:00"), e.getMessage());
    assertEquals(List.of("results.log"), names(log.getParent()));
  }

  @Test
  void missingResultsLogWritesNoFile() {
    V3bwGenerator g = generator(dir.resolve("results/results.log"), NOW);
    assertThrows(StaleResultsException.class, () -> g.generate(List.of()));
    assertFalse(Files.exists(dir.resolve("results/v3bw")));
  }

  @Test
  void usesSavedConsensus() throws Exception {
    Path log = resultsLog();
    ConsensusStore store = new ConsensusStore(dir.resolve("data"));
    store.save(BandwidthFileTest.CONSENSUS, NOW);
    Path file = generator(log, NOW).generate(store);
    assertEquals(BandwidthFileTest.GOLDEN_C_FAILED, Files.readString(file));
  }

  @Test
  void usesSavedDescriptorsToCap() throws Exception {
    Path log = resultsLog();
    ConsensusStore store = new ConsensusStore(dir.resolve("data"));
    store.save(BandwidthFileTest.CONSENSUS, NOW);
    new DescriptorStore(dir.resolve("data"))
        .save(
            List.of(BandwidthFileContentTest.desc(BandwidthFileTest.FP_A, "alpha", 1000, 2000, 3)),
            Optional.of("0.4.9.11"));
    String text = Files.readString(generator(log, NOW).generate(store));
    assertTrue(text.contains("\ntor_version=0.4.9.11\n"), text);
    assertTrue(
        text.contains("\nflashflow_relays_capped=1\nflashflow_relays_without_descriptor=1\n"),
        text);
    assertTrue(
        text.contains(
            "node_id=$"
                + BandwidthFileTest.FP_A
                + " bw=1 nick=alpha master_key_ed25519=keyalpha measured_at="),
        text);
    assertTrue(
        text.contains(
            " desc_bw_avg=1000 desc_bw_bur=2000 desc_bw_obs_last=3 success=1 error_circ=0"
                + " error_misc=0 flashflow_capped=1\n"),
        text);
  }

  @Test
  void stemParsesTheFileAndSeesOurRelays() throws Exception {
    ExternalTools.require(stemAvailable(), "python3-stem (/usr/bin/python3 -c 'import stem')");
    Path file = generator(resultsLog(), NOW).generate(BandwidthFileTest.CONSENSUS);
    String script =
        "import sys\n"
            + "from stem.descriptor import parse_file\n"
            + "d = list(parse_file(sys.argv[1], descriptor_type='bandwidth-file 1.0'))\n"
            + "assert len(d) == 1, d\n"
            + "d = d[0]\n"
            + "print(int(d.timestamp.timestamp()), d.version, d.header['software'])\n"
            + "for fp in sorted(d.measurements):\n"
            + "  m = d.measurements[fp]\n"
            + "  print(fp, m['bw'], m.get('unmeasured', '-'))\n";
    String out = run(List.of(PYTHON, "-c", script, file.toString()));
    assertEquals(
        "1795696140 1.5.0 flashflow\n"
            + BandwidthFileTest.FP_A
            + " 1235 -\n"
            + BandwidthFileTest.FP_B
            + " 1 -\n"
            + BandwidthFileTest.FP_C
            + " 1 1\n",
        out);
  }

  private static boolean stemAvailable() {
    if (!Files.isExecutable(Paths.get(PYTHON))) {
      return false;
    }
    try {
      run(List.of(PYTHON, "-c", "import stem.descriptor.bandwidth_file"));
      return true;
    } catch (IOException | AssertionError e) {
      return false;
    }
  }

  private static String run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new AssertionError("interrupted", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError("exit " + p.exitValue() + ": " + out);
    }
    return out;
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}

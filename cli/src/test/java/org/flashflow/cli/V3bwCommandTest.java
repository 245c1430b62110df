package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.results.ResultsLogFormat;
import org.flashflow.coord.v3bw.ConsensusStore;
import org.flashflow.torctl.model.RouterStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flashflow v3bw -c coord.ini}: a bandwidth file from the results log, with no tor. */
class V3bwCommandTest {
  private static final String MEASURED = "A1".repeat(20);
  private static final String UNMEASURED = "B2".repeat(20);

  @TempDir Path dir;
  private Path ini;
  private Path datadir;
  private Path link;

  @BeforeEach
  void setUp() throws Exception {
    datadir = dir.resolve("data");
    link = datadir.resolve("v3bw/v3bw");
    ini = dir.resolve("coord.ini");
    Files.writeString(ini, "[coord]\ndatadir = " + datadir + "\n");
    Files.createDirectories(datadir.resolve("results"));
    new ConsensusStore(datadir)
        .save(List.of(relay("measured", MEASURED), relay("unmeasured", UNMEASURED)), Instant.now());
  }

  private static RouterStatus relay(String nick, String fp) {
    return new RouterStatus(
        nick,
        fp,
        Instant.parse("2026-11-26T12:00:00Z"),
        "127.0.0.1",
        9001,
        0,
        Set.of("Fast", "Running", "Valid"),
        1000,
        OptionalLong.empty());
  }

  private record Result(int exit, String out, String err) {}

  private Result v3bw() {
    CommandLine cmd = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute("v3bw", "-c", ini.toString());
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void writesTheBandwidthFileFromARecentResultAndTheSavedConsensus() throws Exception {
    long begin = Instant.now().getEpochSecond() - 3600;
    // 3 seconds of 600000 + min(claimed 100000, max_bg 200000) = 700000 bytes/s
    MeasurementRecord record =
        new MeasurementRecord(
            77,
            MEASURED,
            begin,
            List.of(
                new MeasurementRecord.Second(List.of(600_000L), 100_000, 200_000),
                new MeasurementRecord.Second(List.of(600_000L), 100_000, 200_000),
                new MeasurementRecord.Second(List.of(600_000L), 100_000, 200_000)),
            Optional.empty());
    Files.writeString(datadir.resolve("results/results.log"), ResultsLogFormat.render(record));

    Result r = v3bw();

    assertEquals(0, r.exit(), r.err());
    Path written = Path.of(r.out().strip());
    assertEquals(r.out(), written + "\n", "prints the path and nothing else");
    assertTrue(Files.isSymbolicLink(link), link + " is a symlink");
    assertEquals(written.toRealPath(), link.toRealPath());
    List<String> lines = Files.readAllLines(link, StandardCharsets.UTF_8);
    assertEquals(String.valueOf(begin), lines.get(0), "line 1 is the newest result's time");
    String time =
        java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(java.time.ZoneOffset.UTC)
            .format(Instant.ofEpochSecond(begin));
    Map<String, String> measured = relayLine(lines, MEASURED);
    assertEquals("700", measured.get("bw"), measured.toString());
    assertEquals("measured", measured.get("nick"));
    assertEquals(String.valueOf(begin), measured.get("measured_at"));
    assertEquals(time, measured.get("time"));
    assertEquals("77", measured.get("meas_id"));
    assertEquals(null, measured.get("vote"), "a measured relay votes");
    Map<String, String> unmeasured = relayLine(lines, UNMEASURED);
    assertEquals("1", unmeasured.get("bw"), unmeasured.toString());
    assertEquals("unmeasured", unmeasured.get("nick"));
    assertEquals("1", unmeasured.get("unmeasured"));
    assertEquals("0", unmeasured.get("vote"));
  }

  /** The keys of the one relay line of {@code fp} (bandwidth files carry more keys over time). */
  private static Map<String, String> relayLine(List<String> lines, String fp) {
    List<String> found = lines.stream().filter(l -> l.startsWith("node_id=$" + fp + " ")).toList();
    assertEquals(1, found.size(), "one line for " + fp + " in " + lines);
    Map<String, String> keys = new LinkedHashMap<>();
    for (String kv : found.get(0).split(" ")) {
      int eq = kv.indexOf('=');
      keys.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return keys;
  }

  @Test
  void withNoRecentResultItWritesNothingAndSaysWhyOnOneLine() throws Exception {
    long old = Instant.now().getEpochSecond() - 8 * 24 * 3600;
    MeasurementRecord record =
        new MeasurementRecord(
            78,
            MEASURED,
            old,
            List.of(new MeasurementRecord.Second(List.of(600_000L), 0, 200_000)),
            Optional.empty());
    Files.writeString(datadir.resolve("results/results.log"), ResultsLogFormat.render(record));

    Result r = v3bw();

    assertEquals(1, r.exit());
    assertEquals("", r.out());
    List<String> err = r.err().lines().toList();
    assertEquals(1, err.size(), r.err());
    assertTrue(err.get(0).startsWith("flashflow v3bw: no bandwidth file written: "), r.err());
    assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    try (Stream<Path> files = Files.list(datadir.resolve("results"))) {
      assertEquals(
          List.of("results.log"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}

package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flashflow demo} for real, in-process but with its network, coordinator and measurers as
 * child processes: a short run over four of its relays (honest ones, the liar, the refuser).
 */
class DemoCommandTest {
  private static final Pattern V3BW = Pattern.compile("(?m)^Bandwidth file: (\\S+)");
  private static final Pattern REPORT = Pattern.compile("(?m)^Report: +(\\S+)");

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void measuresEveryRelayWritesV3bwAndStopsEveryProcess() throws Exception {
    Path demoDir = dir.resolve("demo");
    Run run =
        Run.of(
            "demo",
            "--dir",
            demoDir.toString(),
            // 6 s: the median second is the 4th of 6, so the first seconds (round trips, a cold
            // JIT, a busy machine's stalls) may all be low without moving it.
            "--duration",
            "6",
            "--relays",
            "relay1,relay3,relay5,relay7");

    String all = run.out() + run.err();
    assertEquals(0, run.exit(), all);
    assertTrue(run.out().contains("Every relay ended as expected for its behaviour."), all);
    assertTableLine(
        run.out(), "relay1 +honest +1\\.00 +150 +\\d+\\.\\d\\d +[-+]\\d+\\.\\d% +ok ", all);
    assertTableLine(
        run.out(), "relay3 +honest +10\\.00 +30 +\\d+\\.\\d\\d +[-+]\\d+\\.\\d% +ok ", all);
    // The liar's verdict (at most 1/(1-r) of its capacity) holds whatever the machine's load; its
    // estimate can fall below the truth when a busy machine starves the emulator.
    assertTableLine(
        run.out(), "relay5 +lies +35\\.00 +60 +\\d+\\.\\d\\d +[-+]\\d+\\.\\d% +ok ", all);
    assertTableLine(
        run.out(),
        "relay7 +refuses +75\\.00 +40 +- +- +FAIL RELAY_REFUSED +FAIL RELAY_REFUSED: yes",
        all);
    assertTrue(run.out().contains("Round trips: a circuit carries at most"), all);
    assertTrue(run.out().contains("relay3 done: "), all);

    Matcher m = V3BW.matcher(run.out());
    assertTrue(m.find(), all);
    Path v3bw = Path.of(m.group(1));
    assertTrue(v3bw.startsWith(demoDir), v3bw.toString());
    List<String> lines = Files.readAllLines(v3bw);
    assertTrue(lines.get(0).matches("\\d+"), lines.toString());
    Map<String, Map<String, String>> relays = relayLines(lines);
    // Honest relays: bw (kB/s) is the table's estimate, which the demo judged (within 10% of the
    // truth, or of what a starved emulator carried: exit 0 above); the liar measured; the refuser
    // listed but unmeasured.
    assertKbps(relays, "relay1", estimateKbps(run.out(), "relay1"));
    assertKbps(relays, "relay3", estimateKbps(run.out(), "relay3"));
    assertTrue(relays.get("relay5").containsKey("measured_at"), relays.toString());
    assertEquals("1", relays.get("relay7").get("unmeasured"), relays.toString());
    assertEquals("0", relays.get("relay7").get("vote"), relays.toString());

    List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
    assertTrue(
        left.isEmpty(),
        "processes left running: "
            + left.stream()
                .map(p -> p.pid() + " " + tail(p.info().commandLine().orElse("?")))
                .collect(Collectors.joining("; ")));
    assertTrue(Files.isRegularFile(demoDir.resolve("logs/coord.log")));

    Matcher page = REPORT.matcher(run.out());
    assertTrue(page.find(), all);
    assertEquals(demoDir.resolve("report/index.html"), Path.of(page.group(1)));
    String html = Files.readString(Path.of(page.group(1)));
    for (String chart : List.of("estimates", "distribution", "outcomes", "progress", "seconds")) {
      assertTrue(html.contains("<svg id='chart-" + chart + "'"), chart + " in " + page.group(1));
      assertTrue(Files.isRegularFile(demoDir.resolve("report/" + chart + ".svg")), chart);
    }
  }

  @Test
  void refusesADirectoryThatIsNotEmpty() throws Exception {
    Files.writeString(dir.resolve("precious.txt"), "keep me");
    Run run = Run.of("demo", "--dir", dir.toString());
    assertEquals(ExitCodes.USER_ERROR, run.exit(), run.err());
    assertTrue(run.err().contains("is not empty"), run.err());
    assertEquals("keep me", Files.readString(dir.resolve("precious.txt")));
    assertTrue(ProcessHandle.current().descendants().findAny().isEmpty());
  }

  @Test
  void rejectsADurationTheRelaysWouldAbort() {
    Run run = Run.of("demo", "--duration", "41");
    assertEquals(ExitCodes.USAGE, run.exit(), run.err());
    assertTrue(run.err().contains("--duration"), run.err());
  }

  /** The relay lines of a bandwidth file as key=value maps, by nick. */
  private static Map<String, Map<String, String>> relayLines(List<String> lines) {
    Map<String, Map<String, String>> out = new HashMap<>();
    for (String line : lines.subList(lines.indexOf("=====") + 1, lines.size())) {
      Map<String, String> kv = new HashMap<>();
      for (String field : line.split(" ")) {
        int eq = field.indexOf('=');
        kv.put(field.substring(0, eq), field.substring(eq + 1));
      }
      out.put(kv.get("nick"), kv);
    }
    return out;
  }

  private static void assertKbps(Map<String, Map<String, String>> relays, String nick, long kbps) {
    Map<String, String> kv = relays.get(nick);
    assertTrue(kv != null && !kv.containsKey("unmeasured"), nick + " measured in " + relays);
    long bw = Long.parseLong(kv.get("bw"));
    assertTrue(kbps > 0 && Math.abs(bw - kbps) <= 1 + kbps / 50, nick + " bw=" + bw + ", " + kbps);
  }

  /** The estimate column of {@code nick}'s table line, in kB/s. */
  private static long estimateKbps(String out, String nick) {
    Matcher m =
        Pattern.compile("(?m)^" + nick + " +honest +\\S+ +\\d+ +(\\d+\\.\\d\\d) ").matcher(out);
    assertTrue(m.find(), nick + " in:\n" + out);
    return Math.round(Double.parseDouble(m.group(1)) * 1e6 / 8 / 1000);
  }

  private static String tail(String commandLine) {
    return commandLine.substring(Math.max(0, commandLine.length() - 120));
  }

  private static void assertTableLine(String out, String regex, String all) {
    assertTrue(Pattern.compile("(?m)^" + regex).matcher(out).find(), regex + " in:\n" + all);
  }
}

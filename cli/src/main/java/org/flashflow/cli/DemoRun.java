package org.flashflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flashflow.common.config.HostPort;
import org.flashflow.coord.core.MeasurementRecord;
import org.flashflow.coord.results.ResultsLogReader;

/**
 * One run of {@code flashflow demo}, step by step: files, the network, the coordinator, the
 * measurers, every measurement, the bandwidth file. Prints progress as it goes; the caller stops
 * the child processes afterwards, however this ends.
 */
final class DemoRun {
  /** Settings of one run. */
  record Settings(
      List<DemoRelay> relays,
      int duration,
      double r,
      int numCircs,
      int maxConcurrent,
      double budgetMbits) {}

  /** Thrown when SIGINT or SIGTERM asked the demo to stop. */
  static final class StoppedException extends Exception {
    private static final long serialVersionUID = 1L;

    StoppedException() {
      super("stopped by a signal");
    }
  }

  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final Pattern LISTENING =
      Pattern.compile("listening for measurers on (\\S+) and for control commands on (\\S+)");
  private static final Pattern MEASURE_OK = Pattern.compile("OK meas_id=(\\d+) fp=(\\w+)");
  // A measurement can fail before the coordinator answers (a relay that refuses at once); the
  // record is in the results log all the same.
  private static final Pattern MEASURE_FAILED =
      Pattern.compile("ERR measurement (\\d+) of (\\w+) failed.*");
  private static final Pattern LIVE =
      Pattern.compile("^\\s+meas_id=(\\d+) fp=\\w+ (\\w+) (\\d+)/(\\d+) s");
  private static final List<String> SMALL_JVM =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m");
  private static final List<String> NETWORK_JVM = List.of("-XX:+UseSerialGC", "-Xmx512m");

  private final Settings settings;
  private final DemoFiles files;
  private final DemoProcesses processes;
  private final CountDownLatch stop;
  private final PrintWriter out;
  private final long t0 = System.nanoTime();

  /** A measurement the coordinator holds, by meas_id. */
  private record Live(DemoRelay relay, long startedNanos) {}

  DemoRun(
      Settings settings,
      DemoFiles files,
      DemoProcesses processes,
      CountDownLatch stop,
      PrintWriter out) {
    this.settings = settings;
    this.files = files;
    this.processes = processes;
    this.stop = stop;
    this.out = out;
  }

  /**
   * What to print once every process has stopped, and the exit code: 0 if every relay ended as its
   * behaviour predicts.
   */
  record Report(List<String> lines, int exitCode) {}

  /** Runs the demo up to its report; the caller stops the processes, then prints it. */
  Report run() throws IOException, StoppedException {
    progress("keys and configs in " + files.dir());
    files.writeKeys();
    files.writeTestnetIni(settings.relays(), settings.r());

    progress("starting the emulated network (logs/testnet.log)");
    DemoProcesses.Child net =
        processes.start(
            "the network",
            files.log("testnet"),
            NETWORK_JVM,
            "testnet",
            "-c",
            files.testnetIni().toString());
    await("the network to write " + files.portsIni(), () -> Files.exists(files.portsIni()), net);

    files.writeCoordIni(
        files.torLines("coordinator"), settings.duration(), settings.r(), settings.numCircs());
    progress("starting the coordinator (logs/coord.log)");
    DemoProcesses.Child coord =
        processes.start(
            "the coordinator",
            files.log("coord"),
            SMALL_JVM,
            "coord",
            "-c",
            files.coordIni().toString());
    Matcher[] listening = new Matcher[1];
    await(
        "the coordinator to listen",
        () -> {
          Matcher m = LISTENING.matcher(read(coord));
          listening[0] = m;
          return m.find();
        },
        coord);
    HostPort measurerPort = HostPort.parse(listening[0].group(1));
    HostPort controlPort = HostPort.parse(listening[0].group(2));

    progress("starting measurers " + String.join(", ", DemoFiles.MEASURERS) + " (logs/*.log)");
    for (String m : DemoFiles.MEASURERS) {
      files.writeMeasurerIni(m, files.torLines("measurer " + m), measurerPort);
      processes.start(
          "measurer " + m,
          files.log(m),
          SMALL_JVM,
          "measurer",
          "-c",
          files.measurerIni(m).toString());
    }

    try (DemoControl ctl = DemoControl.connect(controlPort, files.controlCookie())) {
      awaitReady(ctl);
      Map<String, DemoOutcome> outcomes = measureAll(ctl);
      List<String> reply = ctl.command("v3bw");
      String last = reply.get(reply.size() - 1);
      String v3bw = last.startsWith("OK ") ? last.substring(3).strip() : "none: " + last;
      List<DemoOutcome> ordered = new ArrayList<>();
      settings.relays().forEach(r -> ordered.add(outcomes.get(r.nick())));
      List<String> report = new ArrayList<>(DemoOutcome.table(ordered, settings.r()));
      report.add("");
      report.add("Bandwidth file: " + v3bw);
      report.add("Results log:    " + files.resultsLog());
      report.add("All files:      " + files.dir() + " (keys, configs, logs/)");
      boolean ok = ordered.stream().allMatch(o -> o.asExpected(settings.r()));
      return new Report(report, ok ? ExitCodes.OK : ExitCodes.USER_ERROR);
    } catch (IOException e) {
      // A lost control connection usually means the coordinator died: its log says why. Give
      // the dying child a moment to be reaped, so that it shows as exited.
      pause(Duration.ofMillis(500));
      checkChildren();
      throw e;
    }
  }

  private void awaitReady(DemoControl ctl) throws IOException, StoppedException {
    String want = "measurers: " + DemoFiles.MEASURERS.size() + " connected";
    List<List<String>> last = new ArrayList<>(List.of(List.of()));
    awaitUntil(
        "the coordinator's status to show tor READY and " + want,
        () -> {
          try {
            last.set(0, ctl.command("status"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return last.get(0).stream().anyMatch(l -> l.startsWith("tor: READY"))
              && last.get(0).contains(want);
        },
        () -> "; last status: " + String.join(" | ", last.get(0)));
    progress("coordinator ready: tor READY, " + want);
  }

  /** Starts measurements as capacity allows, waits for each to end; outcomes by nickname. */
  private Map<String, DemoOutcome> measureAll(DemoControl ctl)
      throws IOException, StoppedException {
    Deque<DemoRelay> pending = new ArrayDeque<>();
    settings.relays().stream()
        .sorted(Comparator.comparingDouble(DemoRelay::mbits).reversed())
        .forEach(pending::add);
    Map<Long, Live> live = new LinkedHashMap<>();
    Map<String, DemoOutcome> outcomes = new HashMap<>();
    Map<Long, Long> missingSince = new HashMap<>();
    long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
    Duration deadline = Duration.ofSeconds(settings.duration() + 90L);
    while (!pending.isEmpty() || !live.isEmpty()) {
      checkChildren();
      startWhatFits(ctl, pending, live, outcomes);
      Map<Long, String> shown = liveInStatus(ctl.command("status"));
      Map<Long, MeasurementRecord> records = null;
      for (var it = live.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        long id = e.getKey();
        DemoRelay relay = e.getValue().relay();
        if (shown.containsKey(id)) {
          if (System.nanoTime() - e.getValue().startedNanos() > deadline.toNanos()) {
            finish(
                outcomes,
                DemoOutcome.problem(relay, "no result within " + deadline.toSeconds() + " s"));
            it.remove();
          }
          continue;
        }
        // Gone from status: the coordinator wrote its record before forgetting it.
        if (records == null) {
          records = readResults();
        }
        MeasurementRecord rec = records.get(id);
        if (rec != null) {
          finish(outcomes, DemoOutcome.of(relay, rec));
          it.remove();
        } else if (System.nanoTime() - missingSince.computeIfAbsent(id, k -> System.nanoTime())
            > Duration.ofSeconds(10).toNanos()) {
          finish(outcomes, DemoOutcome.problem(relay, "no record in the results log"));
          it.remove();
        }
      }
      if (System.nanoTime() - nextProgress >= 0 && !live.isEmpty()) {
        nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        List<String> parts = new ArrayList<>();
        live.forEach(
            (id, l) -> parts.add(l.relay().nick() + " " + shown.getOrDefault(id, "ending")));
        progress("measuring " + String.join(", ", parts));
      }
      pause(POLL);
    }
    return outcomes;
  }

  /**
   * Starts the largest pending relays while fewer than maxConcurrent run and their capacities sum
   * to at most the budget (one always runs): the emulator's CPU, not FlashFlow, would otherwise
   * limit what the relays can echo.
   */
  private void startWhatFits(
      DemoControl ctl,
      Deque<DemoRelay> pending,
      Map<Long, Live> live,
      Map<String, DemoOutcome> outcomes)
      throws IOException {
    double busy = live.values().stream().mapToDouble(l -> l.relay().mbits()).sum();
    for (var it = pending.iterator(); it.hasNext() && live.size() < settings.maxConcurrent(); ) {
      DemoRelay relay = it.next();
      if (!live.isEmpty() && busy + relay.mbits() > settings.budgetMbits()) {
        continue;
      }
      it.remove();
      List<String> reply = ctl.command("measure " + relay.nick());
      String last = reply.get(reply.size() - 1);
      Matcher m = MEASURE_OK.matcher(last);
      if (!m.matches()) {
        m = MEASURE_FAILED.matcher(last);
        if (!m.matches()) {
          finish(outcomes, DemoOutcome.problem(relay, "measure: " + last));
          continue;
        }
      }
      live.put(Long.parseLong(m.group(1)), new Live(relay, System.nanoTime()));
      busy += relay.mbits();
      progress(
          relay.nick()
              + " measuring ("
              + relay.behaviour().configName()
              + ", "
              + String.format(Locale.ROOT, "%.0f", relay.mbits())
              + " Mbit/s, meas_id="
              + m.group(1)
              + ")");
    }
  }

  private void finish(Map<String, DemoOutcome> outcomes, DemoOutcome o) {
    outcomes.put(o.relay().nick(), o);
    progress(o.relay().nick() + " done: " + o.shortText());
  }

  /** Live measurements in a status reply: meas_id to "12/30 s" or the phase. */
  private static Map<Long, String> liveInStatus(List<String> status) {
    Map<Long, String> out = new HashMap<>();
    for (String line : status) {
      Matcher m = LIVE.matcher(line);
      if (m.find()) {
        String phase = m.group(2);
        out.put(
            Long.parseLong(m.group(1)),
            phase.equals("ACTIVE")
                ? m.group(3) + "/" + m.group(4) + " s"
                : phase.toLowerCase(Locale.ROOT).replace('_', ' '));
      }
    }
    return out;
  }

  private Map<Long, MeasurementRecord> readResults() throws IOException {
    Map<Long, MeasurementRecord> out = new HashMap<>();
    new ResultsLogReader(files.resultsLog()).read(r -> out.put(r.measId(), r));
    return out;
  }

  /**
   * Fails if a child has exited. A terminal's Ctrl-C reaches the children too, and they stop on
   * their own; that is the signal's doing, not a child's failure.
   */
  private void checkChildren() throws StoppedException {
    if (stop.getCount() == 0) {
      throw new StoppedException();
    }
    for (DemoProcesses.Child c : processes.exited()) {
      throw new UserException(
          c.name()
              + " exited with status "
              + c.process().exitValue()
              + "; the end of "
              + c.log()
              + ":\n"
              + c.tail(15));
    }
  }

  private void await(String what, BooleanSupplier done, DemoProcesses.Child child)
      throws IOException, StoppedException {
    awaitUntil(what, done, () -> "; the end of " + child.log() + ":\n" + child.tail(15));
  }

  private void awaitUntil(String what, BooleanSupplier done, Supplier<String> detail)
      throws IOException, StoppedException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (true) {
      checkChildren();
      try {
        if (done.getAsBoolean()) {
          return;
        }
      } catch (UncheckedIOException e) {
        // not yet (e.g. the control socket refused): try again until the deadline
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new UserException(
            "gave up after " + STARTUP.toSeconds() + " s waiting for " + what + detail.get());
      }
      pause(Duration.ofMillis(100));
    }
  }

  /** Waits, returning early with {@link StoppedException} when a signal asks the demo to stop. */
  private void pause(Duration d) throws StoppedException {
    try {
      if (stop.await(d.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new StoppedException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoppedException();
    }
  }

  /** One progress line: {@code [ 45s] what}. */
  void progress(String what) {
    long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    out.printf(Locale.ROOT, "[%3ds] %s%n", s, what);
    out.flush();
  }

  private static String read(DemoProcesses.Child c) {
    try {
      return Files.readString(c.log());
    } catch (IOException e) {
      return "";
    }
  }
}

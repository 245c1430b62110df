package org.flashflow.systest.dirauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flashflow.common.testing.ExternalTools;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.RouterStatusParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bandwidth file {@code flashflow v3bw} writes, installed on three real directory authorities
 * (Debian's stock tor) at run time: each authority's own vote must carry our {@code bw} as {@code
 * Measured=} for every relay we measured, and the consensus must then use it (no {@code
 * Unmeasured=1}), while the relays listed {@code unmeasured=1 vote=0} stay unmeasured.
 */
@ExtendWith(PrivateTorNetworkExtension.class)
class DirectoryAuthoritiesSystemTest {
  private static final Logger log = LoggerFactory.getLogger(DirectoryAuthoritiesSystemTest.class);

  /** Votes every 10 s; the file is read at the next vote, the consensus follows in that round. */
  private static final Duration VOTE_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern MEASURED = Pattern.compile(" Measured=(\\d+)");

  @TempDir Path dir;

  @Test
  void authoritiesVoteOurBandwidthsAndTheConsensusUsesThem(PrivateTorNetwork net) throws Exception {
    PrivateTorNetwork.Node auth0 = net.authorities().get(0);
    List<RouterStatus> consensus = RouterStatusParser.parse(net.consensus(auth0));
    assertEquals(7, consensus.size(), "consensus of 3 authorities and 4 relays");

    // A results log with one completed measurement per relay (not the authorities), each with its
    // own estimate, begun a few minutes ago; the consensus saved as the coordinator saves it.
    V3bwRun v3bw = new V3bwRun(dir);
    Map<String, Long> expected = new TreeMap<>();
    long now = Instant.now().getEpochSecond();
    for (int i = 0; i < net.relays().size(); i++) {
      String fp = net.relays().get(i).fingerprint;
      expected.put(fp, v3bw.measured(fp, now - 600 + 60L * i, 1234L * (i + 1)));
    }
    v3bw.save(consensus);

    Exec.Result result = v3bw.run();
    assertEquals(0, result.exit(), result.describe());
    Path written = Path.of(result.out().strip());
    assertEquals(written.toRealPath(), v3bw.link.toRealPath(), "v3bw points to the new file");

    V3bwRun.Parsed file = V3bwRun.Parsed.read(v3bw.link);
    assertEquals(now - 600 + 60L * 3, file.timestamp(), "line 1: the newest result's begin time");
    for (RouterStatus rs : consensus) {
      Map<String, String> keys = file.relays().get(rs.fingerprint());
      Long bw = expected.get(rs.fingerprint());
      if (bw != null) {
        assertEquals(String.valueOf(bw), keys.get("bw"), rs.nickname() + ": " + keys);
      } else {
        assertEquals("1", keys.get("bw"), rs.nickname() + ": " + keys);
        assertEquals("1", keys.get("unmeasured"), rs.nickname() + ": " + keys);
        assertEquals("0", keys.get("vote"), rs.nickname() + ": " + keys);
      }
    }
    assertEquals(consensus.size(), file.relays().size(), "one line per consensus relay");

    if (Stem.available() || "1".equals(System.getenv("FLASHFLOW_REQUIRE_TOOLS"))) {
      ExternalTools.require(Stem.available(), "python3-stem (/usr/bin/python3 -c 'import stem')");
      assertEquals(Stem.expected(file), Stem.read(v3bw.link), "what python3-stem reads");
    }

    List<String> unmeasured =
        consensus.stream()
            .map(RouterStatus::fingerprint)
            .filter(fp -> !expected.containsKey(fp))
            .toList();
    String digest = sha256Base64(Files.readAllBytes(v3bw.link));
    try {
      install(net, v3bw.link.toString());
      long t0 = System.nanoTime();
      for (PrivateTorNetwork.Node a : net.authorities()) {
        String vote = awaitVote(net, a, expected, unmeasured);
        String preamble = StatusEntries.preamble(vote);
        assertTrue(
            preamble.contains("bandwidth-file-digest sha256=" + digest + "\n"),
            a + "'s vote names our file's digest " + digest + ":\n" + preamble);
        assertTrue(
            preamble.contains(" software=flashflow"),
            a + "'s vote repeats our header:\n" + preamble);
        log.info("{}'s own vote: {}", a, summary(vote));
      }
      for (PrivateTorNetwork.Node a : net.authorities()) {
        String c = awaitConsensus(net, a, expected, unmeasured);
        log.info("{}'s consensus: {}", a, summary(c));
      }
      log.info(
          "votes and consensus of all authorities used the file within {} ms of SETCONF",
          (System.nanoTime() - t0) / 1_000_000);
    } finally {
      install(net, "");
    }
  }

  /** {@code SETCONF V3BandwidthsFile=...} on every authority (empty: back to none). */
  private static void install(PrivateTorNetwork net, String path) throws IOException {
    for (PrivateTorNetwork.Node a : net.authorities()) {
      try (TorControl c = net.control(a)) {
        if (path.isEmpty()) {
          c.ok("RESETCONF V3BandwidthsFile");
        } else {
          c.ok("SETCONF V3BandwidthsFile=\"" + path + "\"");
          assertEquals(
              List.of("250 V3BandwidthsFile=" + path), c.ok("GETCONF V3BandwidthsFile"), a + "");
        }
      }
    }
  }

  /**
   * (a): the authority's own vote shows {@code Measured=<our bw>} for every relay we measured, and
   * no {@code Measured=} for those we listed {@code unmeasured=1 vote=0}.
   */
  private static String awaitVote(
      PrivateTorNetwork net,
      PrivateTorNetwork.Node a,
      Map<String, Long> expected,
      List<String> unmeasured) {
    StringBuilder seen = new StringBuilder();
    return Deadline.await(
        VOTE_TIMEOUT,
        () -> {
          String vote = fetch(() -> net.ownVote(a));
          seen.setLength(0);
          if (vote == null) {
            seen.append("(no vote)");
            return null;
          }
          Map<String, String> w = StatusEntries.wLines(vote);
          seen.append(w);
          for (Map.Entry<String, Long> e : expected.entrySet()) {
            String line = w.getOrDefault(e.getKey(), "");
            Matcher m = MEASURED.matcher(line);
            if (!m.find() || Long.parseLong(m.group(1)) != e.getValue()) {
              return null;
            }
          }
          for (String fp : unmeasured) {
            if (MEASURED.matcher(w.getOrDefault(fp, "")).find()) {
              throw new AssertionError(a + " voted a measured value for vote=0 relay " + fp + w);
            }
          }
          return vote;
        },
        () ->
            a
                + "'s own vote to show Measured= "
                + expected
                + "; last w lines: "
                + seen
                + "\n"
                + a.describe());
  }

  /**
   * (b): the consensus shows each relay we measured as {@code w Bandwidth=<our bw>} without {@code
   * Unmeasured=1} (all three authorities measured it the same), and the others still unmeasured.
   */
  private static String awaitConsensus(
      PrivateTorNetwork net,
      PrivateTorNetwork.Node a,
      Map<String, Long> expected,
      List<String> unmeasured) {
    StringBuilder seen = new StringBuilder();
    return Deadline.await(
        VOTE_TIMEOUT,
        () -> {
          String c = fetch(() -> net.consensus(a));
          seen.setLength(0);
          if (c == null) {
            seen.append("(no consensus)");
            return null;
          }
          Map<String, String> w = StatusEntries.wLines(c);
          seen.append(w);
          for (Map.Entry<String, Long> e : expected.entrySet()) {
            if (!("w Bandwidth=" + e.getValue()).equals(w.get(e.getKey()))) {
              return null;
            }
          }
          for (String fp : unmeasured) {
            if (!w.getOrDefault(fp, "").endsWith(" Unmeasured=1")) {
              throw new AssertionError("consensus of " + a + " measured vote=0 relay " + fp + w);
            }
          }
          return c;
        },
        () ->
            "the consensus of "
                + a
                + " to show w Bandwidth= "
                + expected
                + " without Unmeasured=1; last w lines: "
                + seen
                + "\n"
                + net.describe());
  }

  private interface Fetch {
    String get() throws IOException;
  }

  private static String fetch(Fetch f) {
    try {
      return f.get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "nick: w line" per entry, for the log. */
  private static String summary(String document) {
    List<String> out = new ArrayList<>();
    String nick = null;
    for (String line : document.lines().toList()) {
      if (line.startsWith("r ")) {
        nick = line.split(" ")[1];
      } else if (line.startsWith("w ")) {
        out.add(nick + ": " + line);
      }
    }
    return String.join("; ", out);
  }

  private static String sha256Base64(byte[] bytes) throws NoSuchAlgorithmException {
    return Base64.getEncoder()
        .withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}

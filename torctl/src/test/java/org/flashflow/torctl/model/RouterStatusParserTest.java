package org.flashflow.torctl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.flashflow.torctl.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterStatusParserTest {
  private static final String RELAY4 = "876CD86C9B5542BA41442CF0FF89D4D0ABDB5B12";

  @Test
  void stockTorNsAll() throws IOException {
    List<RouterStatus> all =
        RouterStatusParser.parse(Samples.dataBlock("getinfo-ns.txt", "ns/all"));
    assertEquals(
        List.of("relay3", "relay4", "auth1", "relay5", "relay6", "auth2", "auth0"),
        all.stream().map(RouterStatus::nickname).toList());
    RouterStatus relay4 = all.get(1);
    assertEquals(
        new RouterStatus(
            "relay4",
            RELAY4,
            Instant.parse("2038-01-01T00:00:00Z"),
            "127.0.0.1",
            33140,
            0,
            Set.of("Exit", "Fast", "Guard", "HSDir", "Running", "V2Dir", "Valid"),
            0,
            OptionalLong.empty()),
        relay4);
    RouterStatus auth2 = all.get(5);
    assertEquals(33121, auth2.dirPort());
    assertEquals(1, auth2.bandwidthKbs());
    assertTrue(auth2.flags().contains("Authority"));
  }

  @Test
  void stockTorNsIdAndNameAgree() throws IOException {
    List<RouterStatus> byId =
        RouterStatusParser.parse(Samples.dataBlock("getinfo-ns.txt", "ns/id/" + RELAY4));
    List<RouterStatus> byName =
        RouterStatusParser.parse(Samples.dataBlock("getinfo-ns.txt", "ns/name/relay4"));
    assertEquals(1, byId.size());
    assertEquals(RELAY4, byId.get(0).fingerprint());
    assertEquals(byId, byName);
  }

  @Test
  void stockTorConsensus() throws IOException {
    String text = Samples.read("consensus.txt");
    long rLines = text.lines().filter(l -> l.startsWith("r ")).count();
    List<RouterStatus> all = RouterStatusParser.parse(text);
    assertEquals(rLines, all.size());
    assertEquals(7, all.size());
    RouterStatus relay3 = all.get(0);
    assertEquals("relay3", relay3.nickname());
    assertEquals(Instant.parse("2026-11-26T12:08:51Z"), relay3.published());
    assertEquals(2, relay3.bandwidthKbs());
    assertTrue(all.stream().allMatch(r -> r.measuredKbs().isEmpty()));
    assertTrue(all.stream().anyMatch(r -> r.fingerprint().equals(RELAY4)));
  }

  @Test
  void measuredMicrodescFormAndCrlf() {
    String text =
        "r nick AAAAAAAAAAAAAAAAAAAAAAAAAAA 2024-05-06 07:08:09 192.0.2.1 9001 9030\r\n"
            + "s Fast Running\r\n"
            + "w Bandwidth=20 Measured=30\r\n";
    RouterStatus r = RouterStatusParser.parse(text).get(0);
    assertEquals("0".repeat(40), r.fingerprint());
    assertEquals(Instant.parse("2024-05-06T07:08:09Z"), r.published());
    assertEquals(9030, r.dirPort());
    assertEquals(Set.of("Fast", "Running"), r.flags());
    assertEquals(20, r.bandwidthKbs());
    assertEquals(OptionalLong.of(30), r.measuredKbs());
  }

  @Test
  void noWOrSLine() {
    RouterStatus r =
        RouterStatusParser.parse(
                "r n //////////////////////////8 ZGlnZXN0 2024-05-06 07:08:09 192.0.2.1 1 0")
            .get(0);
    assertEquals("F".repeat(40), r.fingerprint());
    assertEquals(0, r.bandwidthKbs());
    assertEquals(Set.of(), r.flags());
  }

  @Test
  void emptyIsEmpty() {
    assertEquals(List.of(), RouterStatusParser.parse(""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "r nick AAAA 2024-05-06 07:08:09 192.0.2.1 9001 9030",
        "r nick AAAAAAAAAAAAAAAAAAAAAAAAAAA 2024-13-06 07:08:09 192.0.2.1 9001 9030",
        "r nick AAAAAAAAAAAAAAAAAAAAAAAAAAA 2024-05-06 07:08:09 192.0.2.1 99999 9030",
        "r nick AAAAAAAAAAAAAAAAAAAAAAAAAAA 2024-05-06 07:08:09 192.0.2.1",
        "r nick !!!AAAAAAAAAAAAAAAAAAAAAAAA 2024-05-06 07:08:09 192.0.2.1 1 2",
        "r nick AAAAAAAAAAAAAAAAAAAAAAAAAAA 2024-05-06 07:08:09 192.0.2.1 1 2\nw Bandwidth=x",
      })
  void malformedEntriesAreRejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> RouterStatusParser.parse(text));
  }
}

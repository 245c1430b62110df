package org.flashflow.torctl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.flashflow.torctl.Samples;
import org.junit.jupiter.api.Test;

class ServerDescriptorParserTest {
  private static final String RELAY4 = "876CD86C9B5542BA41442CF0FF89D4D0ABDB5B12";

  @Test
  void stockTorDescriptor() throws Exception {
    List<ServerDescriptor> d =
        ServerDescriptorParser.parse(Samples.dataBlock("getinfo-desc-id.txt", "desc/id/" + RELAY4));
    assertEquals(
        List.of(
            new ServerDescriptor(
                "relay4",
                RELAY4,
                "127.0.0.1",
                33140,
                Instant.parse("2026-11-26T12:08:45Z"),
                Optional.of("DdxvWw1Bo3pO9sR+gOcJgcVbaSyNLD5cFKeSKsWG62Q"),
                1073741824,
                1073741824,
                0)),
        d);
  }

  @Test
  void severalDescriptorsAsInAllRecent() {
    String text =
        "router a 10.0.0.1 9001 0 0\n"
            + "published 2026-11-26 12:00:00\n"
            + "fingerprint AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA\n"
            + "bandwidth 100 200 50\n"
            + "router-signature\n"
            + "-----BEGIN SIGNATURE-----\n"
            + "bandwidth 1 1 1\n"
            + "-----END SIGNATURE-----\n"
            + "router b 10.0.0.2 443 0 80\n"
            + "master-key-ed25519 KEY\n"
            + "fingerprint bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb bbbb\n"
            + "published 2026-11-26 13:00:00\n"
            + "bandwidth 7 8 9\n";
    List<ServerDescriptor> d = ServerDescriptorParser.parse(text);
    assertEquals(2, d.size());
    assertEquals("A".repeat(40), d.get(0).fingerprint());
    assertEquals(100, d.get(0).bandwidthAvg(), "a line inside an object is not read");
    assertEquals(Optional.empty(), d.get(0).masterKeyEd25519());
    assertEquals("B".repeat(40), d.get(1).fingerprint());
    assertEquals(443, d.get(1).orPort());
    assertEquals(Optional.of("KEY"), d.get(1).masterKeyEd25519());
    assertEquals(
        List.of(7L, 8L, 9L),
        List.of(d.get(1).bandwidthAvg(), d.get(1).bandwidthBurst(), d.get(1).bandwidthObserved()));
  }

  @Test
  void emptyTextHasNoDescriptors() {
    assertEquals(List.of(), ServerDescriptorParser.parse(""));
  }

  @Test
  void missingOrMalformedLinesAreRejected() {
    String head = "router a 10.0.0.1 9001 0 0\npublished 2026-11-26 12:00:00\n";
    String fp = "fingerprint " + "A".repeat(40) + "\n";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServerDescriptorParser.parse(head + fp));
    assertEquals("descriptor of router a has no bandwidth line", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerDescriptorParser.parse(head + "bandwidth 1 2 3\n"));
    assertEquals("descriptor of router a has no fingerprint line", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerDescriptorParser.parse(head + fp + "bandwidth 1 2\n"));
    assertTrue(e.getMessage().startsWith("malformed bandwidth line"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServerDescriptorParser.parse("router a 10.0.0.1\n"));
    assertTrue(e.getMessage().startsWith("malformed router line"), e.getMessage());
  }
}

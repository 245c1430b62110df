package org.flashflow.torctl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.flashflow.torctl.Samples;
import org.junit.jupiter.api.Test;

class ProtocolInfoTest {

  @Test
  void stockTorReply() throws IOException {
    List<String> lines = Samples.lines("control-session.txt");
    int from = lines.indexOf(">>> PROTOCOLINFO 1") + 1;
    int to = lines.indexOf("250 OK");
    ProtocolInfo info = ProtocolInfo.parse(lines.subList(from, to + 1));
    assertEquals(
        new ProtocolInfo(
            Set.of("COOKIE", "SAFECOOKIE"),
            Optional.of(Path.of("/var/lib/tor/control_auth_cookie")),
            "0.4.9.11"),
        info);
  }

  @Test
  void messagesAsJtorctlGivesThem() {
    ProtocolInfo info =
        ProtocolInfo.parse(
            List.of(
                "PROTOCOLINFO 1",
                "AUTH METHODS=NULL,HASHEDPASSWORD COOKIEFILE=\"/a \\\"b\\\"\\\\c\"",
                "OK"));
    assertEquals(Set.of("NULL", "HASHEDPASSWORD"), info.authMethods());
    assertEquals(Optional.of(Path.of("/a \"b\"\\c")), info.cookieFile());
    assertEquals("", info.torVersion());
  }

  @Test
  void noCookieFile() {
    ProtocolInfo info = ProtocolInfo.parse(List.of("250-AUTH METHODS=HASHEDPASSWORD", "250 OK"));
    assertEquals(Optional.empty(), info.cookieFile());
  }

  @Test
  void missingAuthLineIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ProtocolInfo.parse(List.of("250-PROTOCOLINFO 1", "250 OK")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ProtocolInfo.parse(List.of("250-AUTH COOKIEFILE=\"/x\"", "250 OK")));
  }
}

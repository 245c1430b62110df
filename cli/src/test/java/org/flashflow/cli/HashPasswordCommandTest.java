package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.flashflow.coord.control.PasswordHash;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HashPasswordCommandTest {
  @Test
  void printsAHashThatTheCoordinatorAccepts() {
    HashPasswordCommand command = new HashPasswordCommand();
    command.in = new ByteArrayInputStream(" s3cret pass \n".getBytes(StandardCharsets.UTF_8));
    CommandLine cl = new CommandLine(command);
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    assertEquals(0, cl.execute());
    String stored = out.toString().strip();
    assertTrue(stored.startsWith("$scrypt$ln=15,r=8,p=1$"), stored);
    PasswordHash hash = PasswordHash.parse(stored);
    assertTrue(hash.matches("s3cret pass"));
    assertFalse(hash.matches("s3cret pas"));
  }
}

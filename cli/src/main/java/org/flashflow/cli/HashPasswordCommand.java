package org.flashflow.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.flashflow.coord.control.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code flashflow hash-password}: the value for {@code [coord] ctrl_password_hash}, so that the
 * coordinator's config never holds the password itself.
 */
@Command(
    name = "hash-password",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Reads a control password (asked twice on a terminal, else the first line of standard"
          + " input) and prints its scrypt hash for [coord] ctrl_password_hash (ctrl_auth ="
          + " password). Leading and trailing spaces are not part of the password."
    })
final class HashPasswordCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Standard input unless a test replaces it. */
  InputStream in = System.in;

  @Override
  public Integer call() throws IOException {
    String password = read();
    if (password.isEmpty()) {
      throw new UserException("empty password");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(PasswordHash.create(password, new SecureRandom()));
    out.flush();
    return 0;
  }

  private String read() throws IOException {
    Console console = System.console();
    if (console != null && in == System.in) {
      char[] first = console.readPassword("Password: ");
      char[] again = console.readPassword("Again: ");
      if (first == null || again == null) {
        throw new UserException("no password given");
      }
      boolean same = Arrays.equals(first, again);
      String password = new String(first).strip();
      Arrays.fill(first, '\0');
      Arrays.fill(again, '\0');
      if (!same) {
        throw new UserException("the two passwords differ");
      }
      return password;
    }
    String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    if (line == null) {
      throw new UserException("no password on standard input");
    }
    return line.strip();
  }
}

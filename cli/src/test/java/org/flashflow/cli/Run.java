package org.flashflow.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of a command line: exit code and what it printed. */
record Run(int exit, String out, String err) {

  static Run of(String... args) {
    return of(new CommandLine(new Main()), args);
  }

  /** Runs {@code cmd} (with any extra subcommands already added) configured as Main does. */
  static Run of(CommandLine cmd, String... args) {
    Main.configure(cmd);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  List<String> errLines() {
    return err.lines().toList();
  }
}

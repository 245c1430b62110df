package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import org.flashflow.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

class MainTest {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level rootLevel;

  @BeforeEach
  void saveLogLevel() {
    rootLevel = root.getLevel();
  }

  @AfterEach
  void restoreLogLevel() {
    root.setLevel(rootLevel);
  }

  @Test
  void helpListsSubcommandsOptionsAndExitCodes() {
    Run r = Run.of("--help");

    assertEquals(0, r.exit());
    assertTrue(r.out().contains("\n  keygen "), r.out());
    assertTrue(r.out().contains("\n  ctrl"), r.out());
    assertTrue(r.out().contains("--debug"), r.out());
    assertTrue(r.out().contains("Exit codes:"), r.out());
    assertTrue(r.out().contains("70 "), r.out());
    assertEquals("", r.err());
  }

  @Test
  void subcommandHelpHasInheritedDebugAndExitCodes() {
    Run r = Run.of("keygen", "--help");

    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("Usage: flashflow keygen "), r.out());
    assertTrue(r.out().contains("--debug"), r.out());
    assertTrue(r.out().contains("--out=DIR"), r.out());
    assertTrue(r.out().contains("Exit codes:"), r.out());
  }

  @Test
  void version() {
    Run r = Run.of("--version");

    assertEquals(0, r.exit());
    assertTrue(r.out().matches("(?s)flashflow \\S.*\nJava .*"), r.out());
  }

  @Test
  void unknownOptionIsAUsageError() {
    Run r = Run.of("keygen", "--bogus", "alice");

    assertEquals(2, r.exit());
    assertEquals(
        List.of(
            "flashflow keygen: Unknown option: '--bogus'",
            "Try 'flashflow keygen --help' for more information."),
        r.errLines());
    assertEquals("", r.out());
  }

  @Test
  void missingSubcommandIsAUsageError() {
    Run r = Run.of();

    assertEquals(2, r.exit());
    assertEquals(
        List.of("flashflow: Missing subcommand", "Try 'flashflow --help' for more information."),
        r.errLines());
  }

  @Test
  void misspelledSubcommandGetsASuggestion() {
    Run r = Run.of("kegen", "alice");

    assertEquals(2, r.exit());
    assertTrue(r.err().contains("flashflow keygen"), r.err());
    assertTrue(r.err().endsWith("Try 'flashflow --help' for more information.\n"), r.err());
  }

  @Test
  void userErrorIsOneLineWithoutStackTrace() {
    Run r = run(new Boom(new UserException("the coordinator key is missing")));

    assertEquals(1, r.exit());
    assertEquals(List.of("flashflow boom: the coordinator key is missing"), r.errLines());
    assertEquals(Level.INFO, root.getLevel());
  }

  @Test
  void ioAndConfigErrorsAreUserErrors() {
    Run io = run(new Boom(new NoSuchFileException("/etc/flashflow/coord.pem")));
    assertEquals(1, io.exit());
    assertEquals(
        List.of("flashflow boom: /etc/flashflow/coord.pem: no such file or directory"),
        io.errLines());

    Run config = run(new Boom(ConfigException.badValue("coord", "port", "x", "a number")));
    assertEquals(1, config.exit());
    assertEquals(
        List.of("flashflow boom: [coord] port = \"x\": expected a number"), config.errLines());
  }

  @Test
  void bugIsOneLineWithHintAndExitSeventy() {
    Run r = run(new Boom(new IllegalStateException("no measurement 7")));

    assertEquals(70, r.exit());
    assertEquals(
        List.of(
            "flashflow boom: internal error: java.lang.IllegalStateException: no measurement 7"
                + " (rerun with --debug for the stack trace)"),
        r.errLines());
  }

  @Test
  void debugShowsStackTraceAndLowersLogLevel() {
    Run r = run(new Boom(new IllegalStateException("no measurement 7")), "boom", "--debug");

    assertEquals(70, r.exit());
    assertEquals(
        "flashflow boom: internal error: java.lang.IllegalStateException: no measurement 7",
        r.errLines().get(0));
    assertTrue(r.err().contains("\tat org.flashflow.cli.MainTest.debugShows"), r.err());
    assertEquals(Level.DEBUG, root.getLevel());
  }

  @Test
  void debugIsAcceptedBeforeTheSubcommandToo() {
    Run r = run(new Boom(new UserException("bad")), "--debug", "boom");

    assertEquals(1, r.exit());
    assertEquals("flashflow boom: bad", r.errLines().get(0));
    assertTrue(r.err().contains("\tat "), r.err());
    assertEquals(Level.DEBUG, root.getLevel());
  }

  @Test
  void arityErrorOfAddedSubcommandIsAUsageError() {
    Run r = run(new Boom(new UserException("unused")), "boom", "extra");

    assertEquals(2, r.exit());
    assertTrue(r.errLines().get(0).startsWith("flashflow boom: "), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  private static Run run(Boom boom, String... args) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.addSubcommand(boom);
    return Run.of(cmd, args.length == 0 ? new String[] {"boom"} : args);
  }

  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    private final Exception toThrow;

    @Parameters(arity = "0")
    List<String> none;

    Boom(Exception toThrow) {
      this.toThrow = toThrow;
    }

    @Override
    public Integer call() throws Exception {
      throw toThrow;
    }
  }
}

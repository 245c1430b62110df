package org.flashflow.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.flashflow.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns what a command throws into one line on stderr and an exit code. Operators read these lines
 * in a terminal or the journal, where a stack trace hides the one sentence that matters; the trace
 * is still there with {@code --debug} for whoever reports a bug.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String who = cmd.getCommandSpec().qualifiedName();
    boolean debug = Main.debugRequested(parseResult);
    String message = expectedMessage(ex);
    int code;
    if (message != null) {
      err.println(who + ": " + message);
      code = ExitCodes.USER_ERROR;
    } else {
      err.println(
          who
              + ": internal error: "
              + ex
              + (debug ? "" : " (rerun with --debug for the stack trace)"));
      code = ExitCodes.INTERNAL;
    }
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String who = cmd.getCommandSpec().qualifiedName();
    err.println(who + ": " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + who + " --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** The one-line message for a failure the operator can fix, or null for a bug. */
  static String expectedMessage(Throwable ex) {
    if (ex instanceof UserException || ex instanceof ConfigException) {
      return ex.getMessage();
    }
    if (ex instanceof UncheckedIOException && ex.getCause() != null) {
      return expectedMessage(ex.getCause());
    }
    if (ex instanceof IOException) {
      return describe((IOException) ex);
    }
    return null;
  }

  /** The JDK's file exceptions carry just the path, which alone tells the operator little. */
  private static String describe(IOException e) {
    if (e instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) e;
      String what;
      if (f instanceof NoSuchFileException) {
        what = "no such file or directory";
      } else if (f instanceof AccessDeniedException) {
        what = "permission denied";
      } else if (f instanceof FileAlreadyExistsException) {
        what = "already exists";
      } else if (f instanceof NotDirectoryException) {
        what = "not a directory";
      } else {
        what = f.getReason() == null ? e.getClass().getSimpleName() : f.getReason();
      }
      String file =
          f.getOtherFile() == null ? f.getFile() : f.getFile() + " -> " + f.getOtherFile();
      if (f.getReason() != null && !what.equals(f.getReason())) {
        what = what + " (" + f.getReason() + ")";
      }
      return file == null ? what : file + ": " + what;
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}

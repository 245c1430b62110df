package org.flashflow.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** Exit codes of every subcommand, in one place so that scripts and systemd can rely on them. */
final class ExitCodes {
  static final int OK = 0;

  /** The operator can fix it: see {@link UserException}. */
  static final int USER_ERROR = 1;

  /** Bad command line; picocli's convention. */
  static final int USAGE = 2;

  /** A bug: {@code EX_SOFTWARE} from sysexits.h, so supervisors can tell it from a user error. */
  static final int INTERNAL = 70;

  private ExitCodes() {}

  /** The help footer; picocli pads the keys into a column. */
  static Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Integer.toString(OK), "Success.");
    m.put(
        Integer.toString(USER_ERROR),
        "An error you can fix: bad argument, missing or existing file, bad configuration, I/O.");
    m.put(Integer.toString(USAGE), "Usage error: unknown option, missing or extra argument.");
    m.put(
        Integer.toString(INTERNAL),
        "Internal error (a bug): rerun with --debug and report the stack trace.");
    return m;
  }
}

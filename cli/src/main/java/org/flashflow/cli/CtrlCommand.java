package org.flashflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flashflow ctrl}. */
@Command(name = "ctrl", mixinStandardHelpOptions = true)
final class CtrlCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("ctrl: being written");
  }
}

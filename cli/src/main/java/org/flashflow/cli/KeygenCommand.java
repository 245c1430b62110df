package org.flashflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flashflow keygen}. */
@Command(name = "keygen", mixinStandardHelpOptions = true)
final class KeygenCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("keygen: being written");
  }
}

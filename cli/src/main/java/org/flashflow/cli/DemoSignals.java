package org.flashflow.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM for the demo: the first one runs an action (which asks the demo to stop its
 * children and end); closing restores the previous handlers, so that running the demo in-process (a
 * test) leaves the JVM's signal handling as it was. {@link Signals} is the daemons' one-way
 * variant.
 */
final class DemoSignals implements AutoCloseable {
  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  @SuppressWarnings("SunApi") // as in Signals: no supported API catches SIGTERM
  DemoSignals(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal s = new Signal(name);
      signals.add(s);
      previous.add(Signal.handle(s, sig -> action.run()));
    }
  }

  @Override
  @SuppressWarnings("SunApi")
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}

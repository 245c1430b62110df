package org.flashflow.testnet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.testnet.TestnetConfig.AuthMode;
import org.flashflow.torctl.client.TorControlSettings;
import org.flashflow.torctl.client.TorEventListener;
import org.flashflow.torctl.model.TorEndpoint;
import org.flashflow.torctl.model.TorEvent;

/** Test networks and a recording event listener. */
public final class Nets {
  private Nets() {}

  public static RelaySpec relay(String nick, long capacity, double bg, Behaviour b) {
    return new RelaySpec(nick, Fingerprints.of("test", nick), capacity, bg, b);
  }

  public static TestnetConfig config(Path dir, AuthMode auth, List<RelaySpec> relays) {
    return new TestnetConfig(
        dir,
        "127.0.0.1",
        0,
        0.25,
        List.of("alice", "bob"),
        auth,
        auth == AuthMode.PASSWORD ? Optional.of("s3cret pw") : Optional.empty(),
        "test",
        Duration.ofSeconds(1),
        Duration.ofSeconds(6),
        Duration.ofSeconds(45),
        relays);
  }

  public static TorControlSettings settings(TorAccess p) {
    TorControlSettings s = TorControlSettings.of(new TorEndpoint.Tcp(p.host(), p.port()));
    return p.password().isPresent() ? s.withPassword(p.password().get()) : s;
  }

  /** Collects events; {@link #next} waits with a deadline. */
  public static final class Recorder implements TorEventListener {
    private final BlockingQueue<TorEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onTorEvent(TorEvent event) {
      events.add(event);
    }

    @Override
    public void onConnectionLost(Exception cause) {}

    /** The next event, or AssertionError after {@code timeout}. */
    public TorEvent next(Duration timeout) throws InterruptedException {
      TorEvent e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new AssertionError("no event within " + timeout);
      }
      return e;
    }

    /** The next event of type {@code type}, skipping others. */
    public <T extends TorEvent> T next(Class<T> type, Duration timeout)
        throws InterruptedException {
      long end = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = end - System.nanoTime();
        TorEvent e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError("no " + type.getSimpleName() + " within " + timeout);
        }
        if (type.isInstance(e)) {
          return type.cast(e);
        }
      }
    }

    /** Events that arrive within {@code quiet}; for asserting that nothing more comes. */
    public List<TorEvent> drain(Duration quiet) throws InterruptedException {
      java.util.ArrayList<TorEvent> out = new java.util.ArrayList<>();
      TorEvent e;
      while ((e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
        out.add(e);
      }
      return out;
    }
  }
}

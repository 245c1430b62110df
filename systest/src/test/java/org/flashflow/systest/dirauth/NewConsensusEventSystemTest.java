package org.flashflow.systest.dirauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.loop.NettyLoop;
import org.flashflow.torctl.model.NewConsensusEvent;
import org.flashflow.torctl.model.TorEvent;
import org.flashflow.torctl.model.TorState;
import org.flashflow.torctl.session.LaunchedTor;
import org.flashflow.torctl.session.TorLaunchSettings;
import org.flashflow.torctl.session.TorLauncher;
import org.flashflow.torctl.session.TorSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock tor as the coordinator's tor: a client of the private network, launched by {@link
 * TorLauncher}, watched by a {@link TorSession} that asks for NEWCONSENSUS as the coordinator's
 * does. tor accepts the subscription, and each consensus it takes (a microdesc consensus, on a
 * client) arrives as a {@link NewConsensusEvent} listing every tor of the network.
 */
@ExtendWith(PrivateTorNetworkExtension.class)
class NewConsensusEventSystemTest {
  /** The client fetches its first consensus, then a new one about every voting interval (10 s). */
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private NewConsensusEvent nextNewConsensus(BlockingQueue<TorEvent> events)
      throws InterruptedException {
    long deadline = System.nanoTime() + EVENT_TIMEOUT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      TorEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("no NEWCONSENSUS event within " + EVENT_TIMEOUT);
      }
      if (e instanceof NewConsensusEvent c) {
        return c;
      }
    }
  }

  @Test
  void aClientTorAnnouncesItsConsensusesToTheSession(PrivateTorNetwork net) throws Exception {
    BlockingQueue<TorState> states = new LinkedBlockingQueue<>();
    BlockingQueue<TorEvent> events = new LinkedBlockingQueue<>();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    NettyLoop loop = new NettyLoop(group.next(), Clock.systemUTC());
    LaunchedTor tor =
        TorLauncher.launch(
            TorLaunchSettings.of("tor", dir.resolve("client"), net.clientTorrcLines()));
    TorSession session =
        new TorSession(
            loop,
            new TorSession.Mode.Attach(tor.controlSettings()),
            Duration.ofSeconds(1),
            (state, detail) -> states.add(state),
            events::add,
            true);
    try {
      loop.execute(session::start);
      // Stock tor: no FF_MEAS, so NO_FLASHFLOW; it is reached only after SETEVENTS succeeded.
      assertEquals(TorState.CONNECTING, states.poll(10, TimeUnit.SECONDS));
      assertEquals(
          TorState.NO_FLASHFLOW,
          states.poll(10, TimeUnit.SECONDS),
          () -> "tor's log:\n" + PrivateTorNetwork.tail(tor.dataDir().resolve("notice.log")));

      NewConsensusEvent event = nextNewConsensus(events); // CIRC events come too
      assertEquals(
          new NewConsensusEvent(PrivateTorNetwork.AUTHORITIES + PrivateTorNetwork.RELAYS),
          event,
          () -> "tor's log:\n" + PrivateTorNetwork.tail(tor.dataDir().resolve("notice.log")));
      assertEquals(List.of(), List.copyOf(states), "no reconnect");
    } finally {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      loop.execute(
          () -> {
            session.close();
            closed.complete(null);
          });
      closed.get(10, TimeUnit.SECONDS);
      tor.stop();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }
}

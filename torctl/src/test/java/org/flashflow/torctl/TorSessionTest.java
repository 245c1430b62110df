package org.flashflow.torctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.loop.NettyLoop;
import org.flashflow.torctl.client.TorControlSettings;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.NewConsensusEvent;
import org.flashflow.torctl.model.TorEvent;
import org.flashflow.torctl.model.TorState;
import org.flashflow.torctl.session.TorSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a session subscribes to, and which events it passes on, against the scripted tor. */
class TorSessionTest {
  private final BlockingQueue<TorState> states = new LinkedBlockingQueue<>();
  private final BlockingQueue<TorEvent> events = new LinkedBlockingQueue<>();
  private EventLoopGroup group;
  private NettyLoop loop;
  private FakeTorServer tor;
  private TorSession session;

  @BeforeEach
  void setUp() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    loop = new NettyLoop(group.next(), Clock.systemUTC());
    tor = FakeTorServer.nullAuth();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (session != null) {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      loop.execute(
          () -> {
            session.close();
            closed.complete(null);
          });
      closed.get(10, TimeUnit.SECONDS);
    }
    tor.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
  }

  private void start(String eventNames, boolean consensusEvents) throws Exception {
    tor.reply("GETINFO events/names", "250-events/names=" + eventNames + "\r\n250 OK");
    for (String subscription :
        List.of("SETEVENTS CIRC FF_MEAS", "SETEVENTS CIRC FF_MEAS NEWCONSENSUS")) {
      tor.reply(subscription, "250 OK"); // anything else gets 510 and the session fails
    }
    session =
        new TorSession(
            loop,
            new TorSession.Mode.Attach(TorControlSettings.of(tor.endpoint())),
            Duration.ofSeconds(1),
            (state, detail) -> states.add(state),
            events::add,
            consensusEvents);
    loop.execute(session::start);
    assertEquals(TorState.CONNECTING, states.poll(10, TimeUnit.SECONDS));
    assertEquals(TorState.READY, states.poll(10, TimeUnit.SECONDS));
  }

  private static String newConsensusEvent() throws Exception {
    List<String> sample = Samples.lines("newconsensus-event.txt");
    return String.join("\r\n", sample.subList(sample.indexOf("650+NEWCONSENSUS"), sample.size()));
  }

  private TorEvent nextEvent() throws InterruptedException {
    TorEvent e = events.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no event within 10 s");
    }
    return e;
  }

  private List<String> setEventsSent() {
    return tor.received.stream().filter(l -> l.startsWith("SETEVENTS")).toList();
  }

  @Test
  void theCoordinatorsSessionSubscribesToNewConsensusAndPassesItOn() throws Exception {
    start("CIRC STREAM NEWCONSENSUS FF_MEAS", true);
    assertEquals(List.of("SETEVENTS CIRC FF_MEAS NEWCONSENSUS"), setEventsSent());
    tor.push(newConsensusEvent());
    assertEquals(new NewConsensusEvent(7), nextEvent());
  }

  @Test
  void aSessionThatDidNotAskGetsNoNewConsensusEvents() throws Exception {
    start("CIRC STREAM NEWCONSENSUS FF_MEAS", false);
    assertEquals(List.of("SETEVENTS CIRC FF_MEAS"), setEventsSent());
    tor.push(newConsensusEvent()); // sent anyway: dropped, the measurer does not expect it
    tor.push("650 FF_MEAS 7 END SUCCESS=TRUE");
    assertEquals(new FfMeasEvent.End(7, true), nextEvent());
  }

  @Test
  void aTorWithoutNewConsensusIsStillUsed() throws Exception {
    start("CIRC STREAM FF_MEAS", true);
    assertEquals(List.of("SETEVENTS CIRC FF_MEAS"), setEventsSent());
    assertTrue(states.isEmpty(), "no reconnect: " + states);
  }
}

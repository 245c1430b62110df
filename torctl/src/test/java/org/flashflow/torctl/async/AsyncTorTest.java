package org.flashflow.torctl.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.flashflow.torctl.FakeTorServer;
import org.flashflow.torctl.RecordingListener;
import org.flashflow.torctl.client.TorControlSettings;
import org.flashflow.torctl.model.FfMeasEvent;
import org.flashflow.torctl.model.TorConnectionLostException;
import org.flashflow.torctl.model.TorControlException;
import org.flashflow.torctl.model.TorEndpoint;
import org.flashflow.torctl.model.TorTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Futures, timeouts, loss and shutdown of AsyncTor against the fake control port. */
class AsyncTorTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private FakeTorServer tor;
  private RecordingListener listener;

  @BeforeEach
  void start() throws Exception {
    tor = FakeTorServer.nullAuth();
    listener = new RecordingListener();
  }

  @AfterEach
  void stop() throws Exception {
    tor.close();
  }

  private AsyncTor connect() throws Exception {
    return AsyncTor.connect(
            TorControlSettings.of(tor.endpoint()).withCommandTimeout(TIMEOUT), listener)
        .get(5, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
    return e.getCause();
  }

  /** Waits until the fake tor has read this command line (and skips the lines before it). */
  private void awaitReceived(String line) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      String got = tor.received.poll(100, TimeUnit.MILLISECONDS);
      if (line.equals(got)) {
        return;
      }
    }
    throw new AssertionError("tor never received " + line);
  }

  @Test
  void commandsCompleteInOrder() throws Exception {
    try (AsyncTor t = connect()) {
      tor.reply("SETEVENTS CIRC FF_MEAS", "250 OK");
      CompletableFuture<String> v = t.version();
      CompletableFuture<Void> ev = t.setEvents(List.of("CIRC", "FF_MEAS"));
      CompletableFuture<Long> coord = t.coordStartMeas(1, "A".repeat(40), 30);
      assertEquals("0.4.9.11", v.get(5, TimeUnit.SECONDS));
      ev.get(5, TimeUnit.SECONDS);
      TorControlException e = assertInstanceOf(TorControlException.class, failure(coord));
      assertEquals(OptionalInt.of(510), e.statusCode());
      tor.push("650 FF_MEAS 9 PARAMS_OK ACCEPTED=FALSE");
      assertEquals(new FfMeasEvent.ParamsOk(9, false), listener.nextEvent());
    }
  }

  @Test
  void aSilentTorTimesOutAndANewConnectionWorks() throws Exception {
    tor.reply("GETINFO slow", FakeTorServer.SILENCE);
    try (AsyncTor t = connect()) {
      long start = System.nanoTime();
      CompletableFuture<String> slow = t.getInfo("slow");
      CompletableFuture<String> queued = t.version();
      assertInstanceOf(TorTimeoutException.class, failure(slow));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms >= TIMEOUT.toMillis() && ms < 3000, "timed out after " + ms + " ms");
      assertInstanceOf(TorConnectionLostException.class, failure(queued));
      assertInstanceOf(TorTimeoutException.class, listener.nextLoss());
      assertInstanceOf(TorConnectionLostException.class, failure(t.version()));
    }
    try (AsyncTor fresh = connect()) {
      assertEquals("0.4.9.11", fresh.version().get(5, TimeUnit.SECONDS));
    }
    assertEquals(1, listener.lossCount.get());
  }

  @Test
  void connectionLossFailsPendingAndLaterCommandsAndIsReportedOnce() throws Exception {
    tor.reply("GETINFO slow", FakeTorServer.SILENCE);
    try (AsyncTor t =
        AsyncTor.connect(
                TorControlSettings.of(tor.endpoint()).withCommandTimeout(Duration.ofSeconds(30)),
                listener)
            .get(5, TimeUnit.SECONDS)) {
      CompletableFuture<String> pending = t.getInfo("slow");
      awaitReceived("GETINFO slow");
      tor.dropConnections();
      listener.nextLoss();
      assertInstanceOf(TorConnectionLostException.class, failure(pending));
      CompletableFuture<String> later = t.version();
      assertTrue(later.isCompletedExceptionally(), "a call after the loss must fail at once");
      assertEquals(null, listener.losses.poll(100, TimeUnit.MILLISECONDS));
      assertEquals(1, listener.lossCount.get());
    }
  }

  @Test
  void closeWithACommandInFlightDoesNotHang() throws Exception {
    tor.reply("GETINFO slow", FakeTorServer.SILENCE);
    AsyncTor t =
        AsyncTor.connect(
                TorControlSettings.of(tor.endpoint()).withCommandTimeout(Duration.ofSeconds(30)),
                listener)
            .get(5, TimeUnit.SECONDS);
    CompletableFuture<String> pending = t.getInfo("slow");
    awaitReceived("GETINFO slow");
    long start = System.nanoTime();
    t.close();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms < 3000, "close took " + ms + " ms");
    assertInstanceOf(TorConnectionLostException.class, failure(pending));
    assertInstanceOf(TorConnectionLostException.class, failure(t.version()));
    t.close();
    assertEquals(0, listener.lossCount.get());
  }

  @Test
  void failedAuthenticationFailsTheConnectFuture() throws Exception {
    try (FakeTorServer pw = new FakeTorServer("HASHEDPASSWORD", new byte[32], null, "right")) {
      CompletableFuture<AsyncTor> f =
          AsyncTor.connect(TorControlSettings.of(pw.endpoint()).withPassword("wrong"), listener);
      TorControlException e = assertInstanceOf(TorControlException.class, failure(f));
      assertEquals(OptionalInt.of(515), e.statusCode());
      assertEquals(0, listener.lossCount.get());
    }
  }

  @Test
  void aTorThatNeverAnswersProtocolInfoTimesOutTheConnect() throws Exception {
    try (java.net.ServerSocket mute =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CompletableFuture<AsyncTor> f =
          AsyncTor.connect(
              TorControlSettings.of(new TorEndpoint.Tcp("127.0.0.1", mute.getLocalPort()))
                  .withCommandTimeout(TIMEOUT),
              listener);
      assertInstanceOf(TorTimeoutException.class, failure(f));
      assertEquals(0, listener.lossCount.get());
    }
  }
}

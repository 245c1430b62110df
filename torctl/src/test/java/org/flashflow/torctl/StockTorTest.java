package org.flashflow.torctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.testing.ExternalTools;
import org.flashflow.torctl.async.AsyncTor;
import org.flashflow.torctl.client.TorControlClient;
import org.flashflow.torctl.model.TorControlException;
import org.flashflow.torctl.session.LaunchedTor;
import org.flashflow.torctl.session.TorLaunchSettings;
import org.flashflow.torctl.session.TorLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real thing: stock tor (no FlashFlow) launched by TorLauncher; skipped without tor. */
class StockTorTest {
  private static final String FP = "876CD86C9B5542BA41442CF0FF89D4D0ABDB5B12";

  @TempDir Path dir;

  private static boolean torOnPath() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "tor"))) {
        return true;
      }
    }
    return false;
  }

  private static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void stockTorOverItsControlSocket() throws Exception {
    ExternalTools.require(torOnPath(), "tor on PATH");
    RecordingListener listener = new RecordingListener();
    LaunchedTor tor =
        TorLauncher.launch(
            TorLaunchSettings.of("tor", dir.resolve("tor"), List.of("DisableNetwork 1")));
    try (AsyncTor t = AsyncTor.connect(tor.controlSettings(), listener).get(10, TimeUnit.SECONDS)) {
      assertTrue(
          t.protocolInfo().authMethods().contains("SAFECOOKIE"), t.protocolInfo().toString());
      assertFalse(t.version().get(10, TimeUnit.SECONDS).isEmpty());
      assertFalse(t.supportsFlashFlow().get(10, TimeUnit.SECONDS));

      TorControlException coord =
          assertInstanceOf(TorControlException.class, failure(t.coordStartMeas(1, FP, 30)));
      assertEquals(OptionalInt.of(510), coord.statusCode());
      assertTrue(coord.getMessage().contains("510 Unrecognized command"), coord.getMessage());

      TorControlException measr =
          assertInstanceOf(
              TorControlException.class,
              failure(t.measrStartMeas(1, FP, 10, 30, OptionalLong.empty())));
      assertEquals(OptionalInt.of(510), measr.statusCode());

      TorControlException events =
          assertInstanceOf(
              TorControlException.class, failure(t.setEvents(List.of("CIRC", "FF_MEAS"))));
      assertEquals(OptionalInt.of(552), events.statusCode());
      assertTrue(
          events.torReply().orElseThrow().equals("552 Unrecognized event \"FF_MEAS\""),
          events.getMessage());

      t.setEvents(List.of("CIRC")).get(10, TimeUnit.SECONDS);
      // What the coordinator subscribes to on a tor without FlashFlow: accepted (250 OK).
      assertTrue(t.eventNames().get(10, TimeUnit.SECONDS).contains("NEWCONSENSUS"));
      t.setEvents(List.of("CIRC", "NEWCONSENSUS")).get(10, TimeUnit.SECONDS);
      assertEquals(List.of(), t.routerStatuses("ns/id/" + FP).get(10, TimeUnit.SECONDS));
      assertEquals(List.of(), t.routerStatuses("ns/all").get(10, TimeUnit.SECONDS));
    } finally {
      assertTrue(tor.stop(), "tor did not exit");
    }
    assertFalse(tor.isAlive());
    assertEquals(0, listener.lossCount.get());
  }

  @Test
  void cookieAuthenticationToStockTor() throws Exception {
    ExternalTools.require(torOnPath(), "tor on PATH");
    try (LaunchedTor tor =
            TorLauncher.launch(
                TorLaunchSettings.of("tor", dir.resolve("t"), List.of("DisableNetwork 1")));
        TorControlClient c =
            TorControlClient.connect(tor.controlSettings(), new RecordingListener())) {
      assertEquals(c.protocolInfo().torVersion(), c.version());
    }
  }

  @Test
  void torExitingAtStartupReportsItsLog() throws Exception {
    ExternalTools.require(torOnPath(), "tor on PATH");
    TorControlException e =
        assertThrows(
            TorControlException.class,
            () ->
                TorLauncher.launch(
                    TorLaunchSettings.of("tor", dir.resolve("bad"), List.of("NoSuchOption 1"))));
    assertTrue(e.getMessage().contains("tor exited"), e.getMessage());
    assertTrue(e.getMessage().contains("NoSuchOption"), e.getMessage());
  }

  @Test
  void missingTorBinaryIsExplained() {
    TorControlException e =
        assertThrows(
            TorControlException.class,
            () ->
                TorLauncher.launch(
                    TorLaunchSettings.of("no-such-tor-binary", dir.resolve("x"), List.of())));
    assertEquals(
        "cannot run tor_bin 'no-such-tor-binary': not found; install tor or set [tor] tor_bin",
        e.getMessage());
  }
}

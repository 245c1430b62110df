package org.flashflow.coord.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A control-port server that plays a FlashFlow-capable coordinator's tor (docs/protocol.md section
 * 3) for loopback tests: PROTOCOLINFO with NULL auth, AUTHENTICATE, GETINFO version, events/names,
 * ns/all, ns/id/, ns/name/, SETEVENTS, and COORD_START_MEAS with CIRC and FF_MEAS events; a
 * NEWCONSENSUS event when the test says ({@link #announceConsensus}). The relay's behaviour per
 * fingerprint is set by the test. Background reports are sent every {@code reportInterval}
 * milliseconds, so a 3 s measurement can run in well under 3 s.
 *
 * <p>Test code, so plain threads and concurrent collections are fine here.
 */
final class FakeFlashFlowTor implements AutoCloseable {

  /** How the emulated relay behind a fingerprint behaves. */
  enum Behaviour {
    HONEST,
    REFUSES,
    CIRCUIT_FAILS,
    /** The circuit fails at once: the CIRC events come in the same write as the reply. */
    CIRCUIT_FAILS_AT_ONCE,
    DIES_MID_MEASUREMENT,
    NEVER_ANSWERS
  }

  /** A relay in the fake consensus. */
  record Relay(String nickname, String fingerprint, long bgSent, long bgRecv) {}

  private final ServerSocket server;
  private final boolean flashFlow;
  private final long reportIntervalMillis;
  private final Map<String, Relay> relays = new ConcurrentHashMap<>();
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<Long, String> started = new ConcurrentHashMap<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextCirc = new AtomicInteger(100);
  private volatile boolean refusing;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fake-tor-timer");
            t.setDaemon(true);
            return t;
          });

  FakeFlashFlowTor(boolean flashFlow, long reportIntervalMillis) throws IOException {
    this.flashFlow = flashFlow;
    this.reportIntervalMillis = reportIntervalMillis;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fake-tor-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  void addRelay(Relay relay, Behaviour behaviour) {
    relays.put(relay.fingerprint(), relay);
    behaviours.put(relay.fingerprint(), behaviour);
  }

  /**
   * Sends a {@code 650+NEWCONSENSUS} event with every relay added so far to the connections that
   * subscribed to it, as tor does when it takes a new consensus.
   */
  void announceConsensus() {
    StringBuilder sb = new StringBuilder("650+NEWCONSENSUS\n");
    relays.values().forEach(r -> sb.append(routerStatus(r)));
    String event = sb.append(".\n650 OK\n").toString();
    for (Session s : sessions) {
      if (s.events.contains("NEWCONSENSUS")) {
        s.send(event);
      }
    }
  }

  /** Every command line received, in order, for assertions. */
  List<String> commands() {
    return List.copyOf(commands);
  }

  /** Drops every control connection, as a crashing tor would. */
  void dropConnections() {
    for (Session s : sessions) {
      s.close();
    }
  }

  /**
   * While {@code refuse} is true, every new control connection is closed at once, as when tor is
   * down: a reconnecting controller keeps failing until it is set back to false.
   */
  void refuseConnections(boolean refuse) {
    this.refusing = refuse;
  }

  int connectionCount() {
    return (int) sessions.stream().filter(s -> !s.closed).count();
  }

  @Override
  public void close() throws IOException {
    timer.shutdownNow();
    server.close();
    dropConnections();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        if (refusing) {
          socket.close();
          continue;
        }
        Session session = new Session(socket);
        sessions.add(session);
        Thread t = new Thread(session::run, "fake-tor-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** One control connection. */
  private final class Session {
    private final Socket socket;
    private final OutputStream out;
    volatile boolean closed;
    volatile Set<String> events = Set.of();

    Session(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    void run() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while ((line = in.readLine()) != null) {
          commands.add(line);
          handle(line);
        }
      } catch (IOException e) {
        // connection gone
      } finally {
        close();
      }
    }

    void close() {
      closed = true;
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }

    synchronized void send(String text) {
      if (closed) {
        return;
      }
      try {
        out.write(text.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        close();
      }
    }

    private void handle(String line) {
      String[] w = line.trim().split(" ");
      String cmd = w[0].toUpperCase(Locale.ROOT);
      switch (cmd) {
        case "PROTOCOLINFO" ->
            send(
                "250-PROTOCOLINFO 1\n250-AUTH METHODS=NULL\n"
                    + "250-VERSION Tor=\"0.4.9.11-fake-flashflow\"\n250 OK\n");
        case "AUTHENTICATE", "SETEVENTS" -> send(setEvents(w));
        case "GETINFO" -> send(getInfo(w[1]));
        case "COORD_START_MEAS" -> coordStartMeas(w);
        default -> send("510 Unrecognized command \"" + w[0] + "\"\n");
      }
    }

    private String setEvents(String[] w) {
      if (w[0].equalsIgnoreCase("SETEVENTS")) {
        events = Set.copyOf(List.of(w).subList(1, w.length));
      }
      if (!flashFlow) {
        for (String e : w) {
          if (e.equals("FF_MEAS")) {
            return "552 Unrecognized event \"FF_MEAS\"\n";
          }
        }
      }
      return "250 OK\n";
    }

    private String getInfo(String key) {
      if (key.equals("version")) {
        return "250-version=0.4.9.11-fake-flashflow\n250 OK\n";
      }
      if (key.equals("events/names")) {
        return "250-events/names=CIRC STREAM ORCONN BW NOTICE WARN NEWCONSENSUS"
            + (flashFlow ? " FF_MEAS" : "")
            + "\n250 OK\n";
      }
      List<Relay> found = new ArrayList<>();
      if (key.equals("ns/all")) {
        found.addAll(relays.values());
      } else if (key.startsWith("ns/id/")) {
        String fp = key.substring(6).replace("$", "").toUpperCase(Locale.ROOT);
        if (relays.containsKey(fp)) {
          found.add(relays.get(fp));
        }
      } else if (key.startsWith("ns/name/")) {
        String nick = key.substring(8);
        relays.values().stream().filter(r -> r.nickname().equals(nick)).forEach(found::add);
      } else {
        return "552 Unrecognized key \"" + key + "\"\n";
      }
      if (found.isEmpty() && !key.equals("ns/all")) {
        return "552 Unrecognized key \"" + key + "\"\n";
      }
      StringBuilder sb = new StringBuilder("250+" + key + "=\n");
      for (Relay r : found) {
        sb.append(routerStatus(r));
      }
      return sb.append(".\n250 OK\n").toString();
    }

    private void coordStartMeas(String[] w) {
      long measId = Long.parseLong(w[1]);
      String fp = w[2];
      int dur = Integer.parseInt(w[3]);
      Behaviour b = behaviours.getOrDefault(fp, Behaviour.HONEST);
      if (b == Behaviour.NEVER_ANSWERS) {
        return;
      }
      if (!started.containsKey(measId)) {
        started.put(measId, fp);
        int circ = nextCirc.getAndIncrement();
        if (b == Behaviour.CIRCUIT_FAILS_AT_ONCE) {
          send(
              "250 LAUNCHED "
                  + circ
                  + "\n650 CIRC "
                  + circ
                  + " LAUNCHED PURPOSE=GENERAL\n650 CIRC "
                  + circ
                  + " FAILED PURPOSE=GENERAL REASON=NOPATH\n");
          return;
        }
        send("250 LAUNCHED " + circ + "\n");
        timer.execute(() -> setUp(measId, fp, circ, b));
      } else {
        send("250 OK\n");
        schedule(measId, fp, dur, 0, b);
      }
    }

    private void setUp(long measId, String fp, int circ, Behaviour b) {
      send("650 CIRC " + circ + " LAUNCHED PURPOSE=GENERAL\n");
      if (b == Behaviour.CIRCUIT_FAILS) {
        send("650 CIRC " + circ + " FAILED PURPOSE=GENERAL REASON=TIMEOUT\n");
        return;
      }
      send("650 CIRC " + circ + " BUILT $" + fp + "~relay PURPOSE=GENERAL\n");
      send("650 FF_MEAS " + measId + " PARAMS_SENT\n");
      send(
          "650 FF_MEAS "
              + measId
              + " PARAMS_OK ACCEPTED="
              + (b == Behaviour.REFUSES ? "FALSE" : "TRUE")
              + "\n");
    }

    private void schedule(long measId, String fp, int dur, int i, Behaviour b) {
      timer.schedule(
          () -> {
            if (b == Behaviour.DIES_MID_MEASUREMENT && i == dur / 2) {
              send("650 FF_MEAS " + measId + " END SUCCESS=FALSE\n");
              return;
            }
            Relay r = relays.get(fp);
            send(
                "650 FF_MEAS "
                    + measId
                    + " BW_REPORT SENT="
                    + r.bgSent()
                    + " RECV="
                    + r.bgRecv()
                    + "\n");
            if (i + 1 < dur) {
              schedule(measId, fp, dur, i + 1, b);
            } else {
              send("650 FF_MEAS " + measId + " END SUCCESS=TRUE\n");
            }
          },
          reportIntervalMillis,
          TimeUnit.MILLISECONDS);
    }
  }

  /** A router status entry in the format of {@code GETINFO ns/...} (dir-spec 3.4.1). */
  static String routerStatus(Relay r) {
    String identity =
        Base64.getEncoder()
            .withoutPadding()
            .encodeToString(HexFormat.of().parseHex(r.fingerprint()));
    return "r "
        + r.nickname()
        + " "
        + identity
        + " AAAAAAAAAAAAAAAAAAAAAAAAAAA 2026-11-26 12:00:00 127.0.0.1 9001 0\n"
        + "s Fast Running Stable Valid\n"
        + "w Bandwidth=1000\n";
  }
}

package org.flashflow.coord.control;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP control connection's authentication: until an {@code auth} line is accepted, every other
 * line but {@code quit} gets {@code ERR authenticate first}; the third failure (a wrong secret or a
 * command before {@code auth}) closes the connection, so a local user cannot try secrets at the
 * rate of a loop. Lives on the connection's event loop like the handler that calls it.
 */
final class AuthGate implements ControlCommandHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AuthGate.class);

  static final int MAX_FAILURES = 3;
  static final String NOT_AUTHENTICATED = "ERR authenticate first";
  static final String WRONG_SECRET = "ERR authentication failed";

  private final ControlAuth auth;
  private final ControlCommandHandler next;
  private final Executor loop;
  private final Executor slowChecks;
  private final String peer;
  private boolean authenticated;
  private int failures;

  /**
   * @param loop the connection's event loop, where a slow check's verdict is taken back to
   * @param slowChecks where password checks run (scrypt takes a tenth of a second)
   * @param peer the client's address, for the log
   */
  AuthGate(
      ControlAuth auth,
      ControlCommandHandler next,
      Executor loop,
      Executor slowChecks,
      String peer) {
    this.auth = auth;
    this.next = next;
    this.loop = loop;
    this.slowChecks = slowChecks;
    this.peer = peer;
    this.authenticated = auth instanceof ControlAuth.None;
  }

  @Override
  public void onLine(String line, ControlReply reply) {
    String trimmed = line.strip();
    int space = trimmed.indexOf(' ');
    String word = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    if (!word.equals("auth")) {
      if (authenticated || word.equals("quit")) {
        next.onLine(line, reply);
      } else {
        fail(reply, NOT_AUTHENTICATED, "a command before auth");
      }
      return;
    }
    if (authenticated) {
      reply.send(List.of("OK already authenticated"));
      return;
    }
    String secret = space < 0 ? "" : trimmed.substring(space + 1).strip();
    if (!ControlAuth.isSlow(auth)) {
      verdict(ControlAuth.accepts(auth, secret), reply);
      return;
    }
    try {
      slowChecks.execute(
          () -> {
            boolean ok = ControlAuth.accepts(auth, secret);
            loop.execute(() -> verdict(ok, reply));
          });
    } catch (RejectedExecutionException e) {
      reply.send(List.of("ERR shutting down")); // the checker stops with the server
      reply.close();
    }
  }

  private void verdict(boolean ok, ControlReply reply) {
    if (ok) {
      authenticated = true;
      LOG.debug("control connection from {} authenticated", peer);
      reply.send(List.of("OK"));
    } else {
      fail(reply, WRONG_SECRET, "a wrong " + what());
    }
  }

  private void fail(ControlReply reply, String error, String why) {
    failures++;
    if (failures >= MAX_FAILURES) {
      LOG.warn(
          "closing control connection from {}: {} failed authentication attempts (last: {})",
          peer,
          failures,
          why);
      reply.close();
    } else {
      LOG.warn("control connection from {} sent {}", peer, why);
    }
    reply.send(List.of(error));
  }

  private String what() {
    return auth instanceof ControlAuth.Password ? "password" : "cookie";
  }
}

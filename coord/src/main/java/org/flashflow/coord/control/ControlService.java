package org.flashflow.coord.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.flashflow.coord.core.Coordinator;
import org.flashflow.coord.core.StartCallback;
import org.flashflow.coord.v3bw.V3bwTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket's commands (docs/protocol.md section 8), kept apart from the socket so that
 * parsing and replies are tested without a channel. Runs on the loop, like the coordinator it
 * drives.
 *
 * <p>{@code measure} answers once tor accepted the first COORD_START_MEAS (the meas_id is only
 * worth reporting when the measurement really began), so a relay tor does not know or a tor error
 * comes back as {@code ERR} rather than as a FAIL record the operator must go looking for.
 */
public final class ControlService implements ControlCommandHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ControlService.class);
  private static final Pattern HEX40 = Pattern.compile("[0-9A-Fa-f]{40}");
  private static final Pattern NICKNAME = Pattern.compile("[A-Za-z0-9]{1,19}");

  static final List<String> HELP =
      List.of(
          "measure <fp|nickname>  measure one relay now with every connected measurer",
          "v3bw                   write a bandwidth file now",
          "status                 tor, measurers, live measurements and the schedule",
          "status json            the same and more as one JSON object (docs/operations.md)",
          "help                   this list",
          "quit                   close this connection");

  private final Coordinator coordinator;
  private final V3bwTrigger v3bw;
  private final Supplier<List<String>> extraStatus;
  private final Supplier<Map<String, Object>> extraJson;

  public ControlService(Coordinator coordinator, V3bwTrigger v3bw) {
    this(coordinator, v3bw, List::of);
  }

  /** With {@code extraStatus} adding lines to {@code status} (e.g. the schedule's), on the loop. */
  public ControlService(
      Coordinator coordinator, V3bwTrigger v3bw, Supplier<List<String>> extraStatus) {
    this(coordinator, v3bw, extraStatus, Map::of);
  }

  /**
   * With {@code extraJson} adding members to {@code status json} (version, schedule, bandwidth
   * file, results log: plain maps, lists and values), on the loop.
   */
  public ControlService(
      Coordinator coordinator,
      V3bwTrigger v3bw,
      Supplier<List<String>> extraStatus,
      Supplier<Map<String, Object>> extraJson) {
    this.extraJson = Objects.requireNonNull(extraJson, "extraJson");
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.v3bw = Objects.requireNonNull(v3bw, "v3bw");
    this.extraStatus = Objects.requireNonNull(extraStatus, "extraStatus");
  }

  @Override
  public void onLine(String line, ControlReply reply) {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      reply.send(List.of("ERR empty command (try help)"));
      return;
    }
    String[] words = trimmed.split("\\s+");
    String command = words[0].toLowerCase(Locale.ROOT);
    LOG.debug("control command: {}", trimmed);
    switch (command) {
      case "measure" -> measure(words, reply);
      case "v3bw" -> {
        if (noArguments(words, reply)) {
          v3bw.writeNow(result -> reply.send(List.of(v3bwLine(result))));
        }
      }
      case "status" -> {
        if (words.length == 2 && words[1].equalsIgnoreCase("json")) {
          reply.send(List.of(StatusJson.of(coordinator.status(), extraJson.get()), "OK"));
        } else if (words.length > 1) {
          reply.send(List.of("ERR status takes no argument or json"));
        } else {
          List<String> lines = new ArrayList<>(StatusLines.of(coordinator.status()));
          lines.addAll(extraStatus.get());
          lines.add("OK");
          reply.send(lines);
        }
      }
      case "help" -> {
        if (noArguments(words, reply)) {
          List<String> lines = new ArrayList<>(HELP);
          lines.add("OK");
          reply.send(lines);
        }
      }
      case "quit" -> {
        if (noArguments(words, reply)) {
          reply.send(List.of("OK bye"));
          reply.close();
        }
      }
      default -> reply.send(List.of("ERR unknown command \"" + words[0] + "\" (try help)"));
    }
  }

  private static boolean noArguments(String[] words, ControlReply reply) {
    if (words.length == 1) {
      return true;
    }
    reply.send(List.of("ERR " + words[0].toLowerCase(Locale.ROOT) + " takes no arguments"));
    return false;
  }

  private static String v3bwLine(V3bwTrigger.Result result) {
    if (result instanceof V3bwTrigger.Written w) {
      return "OK " + w.path();
    } else if (result instanceof V3bwTrigger.NotWritten n) {
      return "ERR " + n.why();
    }
    throw new AssertionError("unknown result " + result);
  }

  private void measure(String[] words, ControlReply reply) {
    if (words.length < 2) {
      reply.send(List.of("ERR measure needs a relay fingerprint or nickname"));
      return;
    }
    if (words.length > 2) {
      reply.send(List.of("ERR measure takes one relay fingerprint or nickname, not several"));
      return;
    }
    String relay;
    try {
      relay = relayName(words[1]);
    } catch (IllegalArgumentException e) {
      reply.send(List.of("ERR " + e.getMessage()));
      return;
    }
    coordinator.measure(
        relay,
        new StartCallback() {
          @Override
          public void started(long measId, String relayFp) {
            reply.send(List.of("OK meas_id=" + measId + " fp=" + relayFp));
          }

          @Override
          public void refused(String reason) {
            reply.send(List.of("ERR " + reason));
          }
        });
  }

  /**
   * A fingerprint (40 hex, optionally after {@code $}) in upper case, or a nickname as given.
   *
   * @throws IllegalArgumentException with the ERR text for anything else
   */
  static String relayName(String token) {
    boolean dollar = token.startsWith("$");
    String rest = dollar ? token.substring(1) : token;
    if (HEX40.matcher(rest).matches()) {
      return rest.toUpperCase(Locale.ROOT);
    }
    if (dollar || rest.length() == 40) {
      throw new IllegalArgumentException(
          "bad fingerprint \"" + token + "\": expected 40 hex digits");
    }
    if (NICKNAME.matcher(rest).matches()) {
      return rest;
    }
    throw new IllegalArgumentException(
        "bad relay name \""
            + token
            + "\": expected a 40-hex fingerprint or a nickname of 1-19 letters and digits");
  }
}

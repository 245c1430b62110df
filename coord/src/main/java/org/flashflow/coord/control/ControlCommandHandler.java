package org.flashflow.coord.control;

/**
 * Executes one control-socket command line (docs/protocol.md section 8). The socket handler does
 * the framing (lines, the 1 KiB limit, a last line without newline) and calls this on the event
 * loop with the line stripped of its line ending; each call must end in exactly one {@link
 * ControlReply#send}, possibly later (e.g. after tor answered).
 */
@FunctionalInterface
public interface ControlCommandHandler {
  void onLine(String line, ControlReply reply);
}

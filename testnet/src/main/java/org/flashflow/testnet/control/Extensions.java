package org.flashflow.testnet.control;

import java.util.List;

/**
 * The commands one tor adds to the control protocol (COORD_START_MEAS or MEASR_START_MEAS). Called
 * on the port's event loop, only for authenticated sessions.
 */
public interface Extensions {
  /**
   * Handles one command if it is this tor's.
   *
   * @param keyword the command, upper-cased
   * @param args the words after it
   * @return false if the command is not one of these (the session then answers 510)
   */
  boolean handle(String keyword, List<String> args, ControlSession session);
}

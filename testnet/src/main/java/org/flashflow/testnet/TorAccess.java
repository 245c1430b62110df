package org.flashflow.testnet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flashflow.common.config.HostPort;

/**
 * Where a controller finds one emulated tor: the values for its {@code [tor]} section.
 *
 * @param who e.g. {@code coordinator} or {@code measurer alice}
 * @param cookieFile absolute path of the cookie file (cookie authentication)
 * @param password the control password (password authentication)
 */
public record TorAccess(
    String who, String host, int port, Optional<Path> cookieFile, Optional<String> password) {

  /** {@code host:port} for {@code [tor] control_addr}. */
  public String controlAddr() {
    return HostPort.format(host, port);
  }

  /** The {@code [tor]} keys a coordinator or measurer config needs, as {@code key = value}. */
  public List<String> torKeys() {
    List<String> out = new ArrayList<>();
    out.add("control_addr = " + controlAddr());
    cookieFile.ifPresent(p -> out.add("cookie_file = " + p));
    password.ifPresent(p -> out.add("control_password = " + p));
    return out;
  }
}

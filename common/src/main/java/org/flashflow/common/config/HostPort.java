package org.flashflow.common.config;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code host:port} as written in the configuration. The host stays a name (not resolved) until a
 * socket needs it, so a config can be checked on a machine that cannot resolve it.
 *
 * @param host a name or IP literal, IPv6 without brackets
 * @param port 0 to 65535; 0 asks the OS for a free port (tests)
 */
public record HostPort(String host, int port) {
  /** What {@link #parse} accepts, for error messages. */
  public static final String EXPECTED =
      "host:port with a port from 0 to 65535 (IPv6 in brackets: [::1]:12935)";

  private static final Pattern FORMAT =
      Pattern.compile("(?:\\[([0-9A-Fa-f:.]+(?:%[\\w.-]+)?)]|([\\w.-]+)):(\\d{1,5})");

  public HostPort {
    if (host == null || host.isEmpty() || port < 0 || port > 65535) {
      throw new IllegalArgumentException("bad address " + host + ":" + port);
    }
  }

  /**
   * Parses {@code localhost:12935}, {@code 192.0.2.1:0} or {@code [::1]:0}.
   *
   * @throws IllegalArgumentException with {@link #EXPECTED} as message
   */
  public static HostPort parse(String text) {
    Matcher m = FORMAT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(EXPECTED);
    }
    int port = Integer.parseInt(m.group(3));
    if (port > 65535) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new HostPort(m.group(1) != null ? m.group(1) : m.group(2), port);
  }

  /** For binding or for handing to a client that resolves later (Netty does). */
  public InetSocketAddress toUnresolved() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** Resolves the host now (blocking); check {@link InetSocketAddress#isUnresolved()}. */
  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  /** The form {@link #parse} reads back, with IPv6 literals in brackets. */
  @Override
  public String toString() {
    return format(host, port);
  }

  /**
   * {@code host:port} for logs, status lines and config values, IPv6 literals in brackets: the one
   * place that spells an address.
   */
  public static String format(String host, int port) {
    boolean bracket = host.indexOf(':') >= 0 && !host.startsWith("[");
    return (bracket ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * {@link #format(String, int)} of an {@link InetSocketAddress} as configured (its host string, no
   * reverse lookup); any other address by its {@code toString}.
   */
  public static String format(SocketAddress address) {
    if (address instanceof InetSocketAddress a) {
      return format(a.getHostString(), a.getPort());
    }
    return String.valueOf(address);
  }
}

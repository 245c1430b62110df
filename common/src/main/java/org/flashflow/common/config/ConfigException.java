package org.flashflow.common.config;

/**
 * A configuration that cannot be used. Checked, because every caller is a startup path that must
 * turn it into one clear line for the operator instead of a stack trace.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The one message format for a value that does not fit, so that checks done by callers (ranges,
   * cross-key rules) read the same as the loader's own: {@code [coord] listen_addr =
   * "localhost:99999": expected host:port with a port from 0 to 65535}.
   */
  public static ConfigException badValue(
      String section, String key, String value, String expected) {
    return new ConfigException(
        "[" + section + "] " + key + " = \"" + value + "\": expected " + expected);
  }
}

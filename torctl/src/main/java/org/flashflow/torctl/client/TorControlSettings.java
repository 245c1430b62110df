package org.flashflow.torctl.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.flashflow.common.net.TcpKeepalive;
import org.flashflow.torctl.model.TorEndpoint;

/**
 * How to reach and authenticate to one tor, from the {@code [tor]} section.
 *
 * @param password {@code control_password}, used only if tor offers HASHEDPASSWORD and no method we
 *     prefer
 * @param cookieFile {@code cookie_file}; empty means the path tor names in PROTOCOLINFO
 * @param commandTimeout {@code command_timeout}: how long {@link AsyncTor} waits for any one reply
 *     (and for connecting and authenticating)
 * @param keepalive TCP keepalive of a {@link TorEndpoint.Tcp} connection, so that a remote tor that
 *     vanished is noticed while we wait for events
 */
public record TorControlSettings(
    TorEndpoint endpoint,
    Optional<String> password,
    Optional<Path> cookieFile,
    Duration commandTimeout,
    TcpKeepalive keepalive) {

  /** The default {@code [tor] command_timeout}. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

  public TorControlSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(cookieFile, "cookieFile");
    Objects.requireNonNull(keepalive, "keepalive");
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("command timeout must be positive: " + commandTimeout);
    }
  }

  /** With the default keepalive. */
  public TorControlSettings(
      TorEndpoint endpoint,
      Optional<String> password,
      Optional<Path> cookieFile,
      Duration commandTimeout) {
    this(endpoint, password, cookieFile, commandTimeout, TcpKeepalive.DEFAULT);
  }

  /** No password, cookie file from PROTOCOLINFO, default timeout. */
  public static TorControlSettings of(TorEndpoint endpoint) {
    return new TorControlSettings(
        endpoint, Optional.empty(), Optional.empty(), DEFAULT_COMMAND_TIMEOUT);
  }

  public TorControlSettings withPassword(String pw) {
    return new TorControlSettings(endpoint, Optional.of(pw), cookieFile, commandTimeout, keepalive);
  }

  public TorControlSettings withCookieFile(Path file) {
    return new TorControlSettings(endpoint, password, Optional.of(file), commandTimeout, keepalive);
  }

  public TorControlSettings withCommandTimeout(Duration timeout) {
    return new TorControlSettings(endpoint, password, cookieFile, timeout, keepalive);
  }

  public TorControlSettings withEndpoint(TorEndpoint e) {
    return new TorControlSettings(e, password, cookieFile, commandTimeout, keepalive);
  }

  public TorControlSettings withKeepalive(TcpKeepalive k) {
    return new TorControlSettings(endpoint, password, cookieFile, commandTimeout, k);
  }

  /** Keeps the password out of logs. */
  @Override
  public String toString() {
    return "TorControlSettings[endpoint="
        + endpoint
        + ", password="
        + (password.isPresent() ? "(set)" : "(none)")
        + ", cookieFile="
        + cookieFile.map(Path::toString).orElse("(from tor)")
        + ", commandTimeout="
        + commandTimeout
        + ", keepalive="
        + keepalive
        + "]";
  }
}

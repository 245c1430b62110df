package org.flashflow.testnet.network;

import java.util.List;
import java.util.Locale;
import org.flashflow.common.config.ByteRates;
import org.flashflow.testnet.Latency;
import org.flashflow.testnet.RelayEntry;
import org.flashflow.testnet.RelaySpec;
import org.flashflow.testnet.TorAccess;

/**
 * The texts a running testnet shows: the ready-to-use {@code [tor]} lines and the relays table
 * (stdout and {@code network.txt}), and {@code ports.ini} for scripts. Pure.
 */
final class Summary {
  private Summary() {}

  /** For people: one {@code [tor]} line per key and party, then the relays. */
  static String text(
      TorAccess coord, List<TorAccess> measurers, List<RelayEntry> relays, double r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "flashflow testnet: %d relays, %d measurers, bg_percent = %s (use the same in the"
                + " coordinator's [meas_params])%n",
            relays.size(),
            measurers.size(),
            r));
    for (TorAccess p : concat(coord, measurers)) {
      for (String kv : p.torKeys()) {
        sb.append(p.who()).append(" tor: [tor] ").append(kv).append('\n');
      }
    }
    String format = "%-19s %-40s %-21s %-30s %-11s %-8s %s%n";
    sb.append(
        String.format(
            Locale.ROOT,
            format,
            "relay",
            "fingerprint",
            "or_addr",
            "capacity",
            "background",
            "rtt ms",
            "behaviour"));
    for (RelayEntry e : relays) {
      RelaySpec s = e.spec();
      sb.append(
          String.format(
              Locale.ROOT,
              format,
              s.nickname(),
              s.fingerprint(),
              e.address() + ":" + e.orPort(),
              ByteRates.format(s.capacity())
                  + (s.effectiveCapacity() < s.capacity()
                      ? " (cpu " + ByteRates.format(s.effectiveCapacity()) + ")"
                      : ""),
              String.format(Locale.ROOT, "%.2f", s.background())
                  + (s.backgroundSd() > 0 ? " bursty" : ""),
              rtt(s.latency()),
              s.behaviour().configName()));
    }
    return sb.toString();
  }

  private static String rtt(Latency l) {
    return l.jitter().isZero()
        ? Long.toString(l.rtt().toMillis())
        : l.rtt().toMillis() + "+-" + l.jitter().toMillis();
  }

  /** For scripts: INI, one section per party and relay. */
  static String portsIni(TorAccess coord, List<TorAccess> measurers, List<RelayEntry> relays) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Written by flashflow testnet at each start; ports change between starts\n");
    sb.append("# unless [network] port_base is set.\n");
    for (TorAccess p : concat(coord, measurers)) {
      sb.append('\n').append('[').append(p.who()).append("]\n");
      p.torKeys().forEach(kv -> sb.append(kv).append('\n'));
    }
    for (RelayEntry e : relays) {
      sb.append("\n[relay ").append(e.nickname()).append("]\n");
      sb.append("fingerprint = ").append(e.fingerprint()).append('\n');
      sb.append("or_addr = ").append(e.address()).append(':').append(e.orPort()).append('\n');
      sb.append("capacity = ").append(e.spec().capacity()).append('\n');
      sb.append("background = ").append(e.spec().background()).append('\n');
      sb.append("behaviour = ").append(e.spec().behaviour().configName()).append('\n');
      sb.append("rtt = ").append(e.spec().latency().rtt().toMillis()).append(" ms\n");
      sb.append("jitter = ").append(e.spec().latency().jitter().toMillis()).append(" ms\n");
    }
    return sb.toString();
  }

  private static List<TorAccess> concat(TorAccess coord, List<TorAccess> measurers) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(coord), measurers.stream())
        .toList();
  }
}

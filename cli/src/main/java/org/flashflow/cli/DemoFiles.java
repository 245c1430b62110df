package org.flashflow.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.HostPort;
import org.flashflow.common.io.AtomicFiles;
import org.flashflow.common.tls.KeyGen;
import org.flashflow.common.tls.PemFiles;

/**
 * The demo's directory: keys, configs and logs of every party, laid out as separate hosts would
 * have them, so that a reader can copy any of it to a real setup.
 *
 * <pre>
 * testnet.ini  testnet/ (ports.ini, cookies)
 * coord.ini    coord/keys/ (coord.pem; alice.pem, bob.pem: certificates only)  coord/results/
 * alice.ini    alice/keys/ (alice.pem; coord.pem: certificate only)           (same for bob)
 * logs/        one log per process
 * </pre>
 */
record DemoFiles(Path dir) {
  static final String COORD = "coord";
  static final List<String> MEASURERS = List.of("alice", "bob");

  Path testnetIni() {
    return dir.resolve("testnet.ini");
  }

  Path portsIni() {
    return dir.resolve("testnet").resolve("ports.ini");
  }

  Path coordIni() {
    return dir.resolve("coord.ini");
  }

  Path measurerIni(String name) {
    return dir.resolve(name + ".ini");
  }

  Path log(String name) {
    return dir.resolve("logs").resolve(name + ".log");
  }

  Path resultsLog() {
    return dir.resolve(COORD).resolve("results").resolve("results.log");
  }

  private Path keys(String party) {
    return dir.resolve(party).resolve("keys");
  }

  /**
   * Each party's key, and the certificates each must trust: the coordinator every measurer's, each
   * measurer the coordinator's. Only certificates are copied, never a private key, as on real
   * hosts.
   */
  void writeKeys() throws IOException {
    Path coordPem = keys(COORD).resolve(COORD + ".pem");
    KeyGen.generate(COORD, coordPem);
    for (String m : MEASURERS) {
      Path pem = keys(m).resolve(m + ".pem");
      KeyGen.generate(m, pem);
      copyCertificate(pem, keys(COORD).resolve(m + ".pem"));
      copyCertificate(coordPem, keys(m).resolve(COORD + ".pem"));
    }
  }

  void writeTestnetIni(List<DemoRelay> relays, double r) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# The demo's emulated network (see config/testnet.ini for every key).\n");
    sb.append("[network]\n");
    sb.append("datadir = ").append(dir.resolve("testnet")).append('\n');
    sb.append("bind = 127.0.0.1\n");
    sb.append("bg_percent = ").append(r).append('\n');
    sb.append("measurers = ").append(String.join(", ", MEASURERS)).append('\n');
    sb.append("auth = cookie\n");
    for (DemoRelay relay : relays) {
      sb.append('\n').append(relay.testnetSection());
    }
    write(testnetIni(), sb.toString());
  }

  /** The coordinator's control cookie (the default {@code ctrl_cookie_file} in its datadir). */
  Path controlCookie() {
    return dir.resolve(COORD).resolve("ctrl_auth_cookie");
  }

  /**
   * The coordinator's config: attached to the emulated coordinator tor, both its ports chosen by
   * the OS (it logs them), no schedule: the demo asks for every measurement.
   *
   * @param tor the {@code [tor]} lines from {@code ports.ini}
   */
  void writeCoordIni(List<String> tor, int measDuration, double r, int numCircs)
      throws IOException {
    Path data = dir.resolve(COORD);
    StringBuilder sb = new StringBuilder();
    sb.append("# The demo's coordinator (see config/coord.ini for every key).\n");
    sb.append("[coord]\n");
    sb.append("datadir = ").append(data).append('\n');
    sb.append("listen_addr = 127.0.0.1:0\n");
    sb.append("ctrl_addr = 127.0.0.1:0\n");
    sb.append("\n[meas_params]\n");
    sb.append("meas_duration = ").append(measDuration).append('\n');
    sb.append("bg_percent = ").append(r).append('\n');
    sb.append("\n[schedule]\n");
    sb.append("enabled = false\n");
    sb.append("num_circs = ").append(numCircs).append('\n');
    sb.append("\n[measurers]\n");
    for (String m : MEASURERS) {
      sb.append(m).append(" = 1 Gbit/s\n");
    }
    sb.append("\n[tor]\n");
    tor.forEach(kv -> sb.append(kv).append('\n'));
    write(coordIni(), sb.toString());
  }

  /** A measurer's config: its emulated tor, and the coordinator at {@code coordAddr}. */
  void writeMeasurerIni(String name, List<String> tor, HostPort coordAddr) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# The demo's measurer ").append(name).append(" (see config/measurer.ini).\n");
    sb.append("[measurer]\n");
    sb.append("datadir = ").append(dir.resolve(name)).append('\n');
    sb.append("key = ${keydir}/").append(name).append(".pem\n");
    sb.append("coord_addr = ").append(coordAddr).append('\n');
    sb.append("\n[tor]\n");
    tor.forEach(kv -> sb.append(kv).append('\n'));
    write(measurerIni(name), sb.toString());
  }

  /** The {@code [tor]} keys for one party from the network's {@code ports.ini}, as lines. */
  List<String> torLines(String who) throws IOException {
    try {
      Config c = Config.load(portsIni());
      List<String> out = new ArrayList<>();
      for (String key : List.of("control_addr", "cookie_file", "control_password")) {
        if (c.isSet(who, key)) {
          out.add(key + " = " + c.string(who, key));
        }
      }
      if (out.isEmpty()) {
        throw new IOException(portsIni() + " has no [" + who + "] control_addr");
      }
      return out;
    } catch (ConfigException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static void copyCertificate(Path fromPem, Path toPem) throws IOException {
    List<X509Certificate> certs = PemFiles.readCertificates(fromPem);
    StringBuilder sb = new StringBuilder();
    for (X509Certificate cert : certs) {
      try {
        sb.append("-----BEGIN CERTIFICATE-----\n")
            .append(
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(cert.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (CertificateEncodingException e) {
        throw new IOException(fromPem + ": cannot encode its certificate: " + e.getMessage(), e);
      }
    }
    Files.createDirectories(toPem.getParent());
    write(toPem, sb.toString());
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.writeAtomically(
        file, text.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
  }
}

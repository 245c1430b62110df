package org.flashflow.systest.dirauth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * tor's own bandwidth-file parser without a network: {@code tor --verify-config} with a directory
 * authority's torrc naming the file reads it and logs at warn what it rejects (real-tor.md).
 */
final class TorVerify {
  private static final Pattern BANDWIDTH_WARNING =
      Pattern.compile("(?i).*\\[(warn|err)\\].*(bandwidth|measure).*");

  private TorVerify() {}

  /**
   * tor's warnings and errors about the bandwidth file {@code file}; fails if the config is bad.
   */
  static List<String> bandwidthWarnings(Path file, Path workDir) throws IOException {
    Path data = workDir.resolve("tor-verify");
    if (!Files.isDirectory(data)) {
      Files.createDirectories(
          data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    List<Integer> ports = PrivateTorNetwork.freeLoopbackPorts(2);
    Path torrc = workDir.resolve("verify-torrc");
    Files.writeString(
        torrc,
        String.join(
            "\n",
            "TestingTorNetwork 1",
            "DirAuthority a orport="
                + ports.get(0)
                + " no-v2 v3ident="
                + "AB".repeat(20)
                + " 127.0.0.1:"
                + ports.get(1)
                + " "
                + "CD".repeat(20),
            "DataDirectory " + data,
            "Address 127.0.0.1",
            "SocksPort 0",
            "ORPort 127.0.0.1:" + ports.get(0),
            "DirPort 127.0.0.1:" + ports.get(1),
            "ContactInfo flashflow-systest",
            "AuthoritativeDirectory 1",
            "V3AuthoritativeDirectory 1",
            "V3BandwidthsFile " + file,
            ""),
        UTF_8);
    Exec.Result r =
        Exec.run(
            List.of("tor", "--verify-config", "-f", torrc.toString()), "", Duration.ofSeconds(30));
    String all = r.out() + r.err();
    if (r.exit() != 0 || !all.contains("Configuration was valid")) {
      throw new AssertionError("tor --verify-config failed:\n" + r.describe());
    }
    return all.lines().filter(l -> BANDWIDTH_WARNING.matcher(l).matches()).toList();
  }
}

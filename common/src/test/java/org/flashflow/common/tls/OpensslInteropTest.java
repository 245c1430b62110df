package org.flashflow.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.testing.ExternalTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators inspect and make these files with openssl, so openssl must agree on them. */
class OpensslInteropTest {
  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  @TempDir Path dir;

  @BeforeEach
  void needsOpenssl() {
    ExternalTools.require(Files.isExecutable(OPENSSL), "openssl");
  }

  @Test
  void opensslReadsSubjectAndKey() throws Exception {
    Path file = dir.resolve("alice.pem");
    KeyGen.generate("alice", file);

    Result subject = run("x509", "-noout", "-subject", "-in", file.toString());
    assertEquals(0, subject.exit, subject.output);
    assertEquals("subject=O = alice", subject.output.strip());

    Result key = run("pkey", "-in", file.toString(), "-noout");
    assertEquals(0, key.exit, key.output);

    // The key and the certificate in the file are one pair.
    Result keyPub = run("pkey", "-in", file.toString(), "-pubout");
    Result certPub = run("x509", "-in", file.toString(), "-noout", "-pubkey");
    assertEquals(keyPub.output, certPub.output);
  }

  @Test
  void readsWhatOpensslReqWrites() throws Exception {
    Path file = dir.resolve("bob.pem");
    Path key = dir.resolve("bob.key");
    Result req =
        run(
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            "/O=bob",
            "-days",
            "30",
            "-keyout",
            key.toString(),
            "-out",
            dir.resolve("bob.crt").toString());
    assertEquals(0, req.exit, req.output);
    Files.writeString(file, Files.readString(key) + Files.readString(dir.resolve("bob.crt")));

    PemFiles.readPrivateKey(file);
    assertEquals("bob", Certificates.requireOrganization(PemFiles.readCertificates(file).get(0)));
  }

  private record Result(int exit, String output) {}

  private static Result run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(OPENSSL.toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("openssl did not finish: " + cmd);
    }
    return new Result(p.exitValue(), out);
  }
}

package org.flashflow.common.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyGenTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path dir;

  @Test
  void writesKeyThenCertificateThatBelongTogether() throws Exception {
    Path file = dir.resolve("alice.pem");
    KeyGen.generate("alice", file, Clock.fixed(NOW, ZoneOffset.UTC));

    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
    assertTrue(pem.indexOf("-----BEGIN CERTIFICATE-----") > pem.indexOf("-----END PRIVATE KEY"));

    List<X509Certificate> certs = PemFiles.readCertificates(file);
    assertEquals(1, certs.size());
    X509Certificate cert = certs.get(0);
    assertEquals("O=alice", cert.getSubjectX500Principal().getName());
    assertEquals("O=alice", cert.getIssuerX500Principal().getName());
    assertEquals("alice", Certificates.requireOrganization(cert));
    assertEquals(3, cert.getVersion());
    assertEquals("SHA256withECDSA", cert.getSigAlgName());
    assertEquals(
        256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
    assertEquals(-1, cert.getBasicConstraints(), "not a CA");
    cert.verify(cert.getPublicKey());

    assertEquals(1, cert.getSerialNumber().signum());
    assertEquals(128, cert.getSerialNumber().bitLength());
    assertEquals(NOW.minus(Duration.ofDays(1)), cert.getNotBefore().toInstant());
    assertTrue(
        cert.getNotAfter().toInstant().isAfter(NOW.plus(Duration.ofDays(99 * 365))),
        "pinned certificates must not expire under an operator");

    PrivateKey key = PemFiles.readPrivateKey(file);
    byte[] data = "measure".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(data);
    byte[] sig = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(cert);
    verifier.update(data);
    assertTrue(verifier.verify(sig), "the key in the file signs for the certificate in the file");
  }

  @Test
  void fileIsPrivateAndNoTemporaryFileRemains() throws Exception {
    Path file = dir.resolve("alice.pem");
    KeyGen.generate("alice", file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void createsMissingDirectoryPrivate() throws Exception {
    Path file = dir.resolve("keys/sub/bob.pem");
    KeyGen.generate("bob", file);

    assertTrue(Files.isRegularFile(file));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys/sub"))));
  }

  @Test
  void refusesToOverwrite() throws Exception {
    Path file = dir.resolve("alice.pem");
    Files.writeString(file, "precious");

    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> KeyGen.generate("alice", file));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals("precious", Files.readString(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void twoKeysDiffer() throws Exception {
    KeyGen.generate("alice", dir.resolve("a.pem"));
    KeyGen.generate("alice", dir.resolve("b.pem"));

    X509Certificate a = PemFiles.readCertificates(dir.resolve("a.pem")).get(0);
    X509Certificate b = PemFiles.readCertificates(dir.resolve("b.pem")).get(0);
    assertTrue(!a.getSerialNumber().equals(b.getSerialNumber()));
    assertTrue(
        !java.util.Arrays.equals(a.getPublicKey().getEncoded(), b.getPublicKey().getEncoded()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a/b",
        "a\nb",
        "a\tb",
        " alice",
        "alice ",
        "\u00e9lise",
        "\u0430lice",
        "x12345678901234567890123456789012345678901234567890123456789012345"
      })
  void refusesBadNames(String name) {
    Path file = dir.resolve("x.pem");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyGen.generate(name, file));
    assertTrue(e.getMessage().startsWith("name "), e.getMessage());
    assertTrue(Files.notExists(file));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "alice bob",
        "relay-01.example_org",
        "1234567890123456789012345678901234567890123456789012345678901234"
      })
  void acceptsOrdinaryNames(String name) throws IOException {
    Path file = dir.resolve("x.pem");
    KeyGen.generate(name, file);
    assertEquals(name, Certificates.requireOrganization(PemFiles.readCertificates(file).get(0)));
  }

  @Test
  void nullNameRefused() {
    assertThrows(IllegalArgumentException.class, () -> KeyGen.checkName(null));
    assertDoesNotThrow(() -> KeyGen.checkName("alice"));
  }

  @Test
  void pemHasSixtyFourColumnLines() throws Exception {
    Path file = dir.resolve("alice.pem");
    KeyGen.generate("alice", file);
    for (String line : Files.readAllLines(file)) {
      assertTrue(line.length() <= 64, line);
    }
  }
}

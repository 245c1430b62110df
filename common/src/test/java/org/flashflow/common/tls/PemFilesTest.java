package org.flashflow.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
  @TempDir Path dir;

  @Test
  void readsSeveralCertificatesInOrderAndSkipsKeys() throws Exception {
    KeyGen.generate("alice", dir.resolve("alice.pem"));
    KeyGen.generate("bob", dir.resolve("bob.pem"));
    Path both = dir.resolve("both.pem");
    Files.writeString(
        both,
        "some comment\n"
            + Files.readString(dir.resolve("alice.pem"))
            + Files.readString(dir.resolve("bob.pem")));

    List<X509Certificate> certs = PemFiles.readCertificates(both);

    assertEquals(2, certs.size());
    assertEquals("alice", Certificates.requireOrganization(certs.get(0)));
    assertEquals("bob", Certificates.requireOrganization(certs.get(1)));
  }

  @Test
  void certificateOnlyFileHasNoKey() throws Exception {
    Path full = dir.resolve("alice.pem");
    KeyGen.generate("alice", full);
    String text = Files.readString(full);
    Path certOnly = dir.resolve("alice.crt");
    Files.writeString(certOnly, text.substring(text.indexOf("-----BEGIN CERTIFICATE")));
    Path keyOnly = dir.resolve("alice.key");
    Files.writeString(keyOnly, text.substring(0, text.indexOf("-----BEGIN CERTIFICATE")));

    assertEquals(1, PemFiles.readCertificates(certOnly).size());
    IOException noKey = assertThrows(IOException.class, () -> PemFiles.readPrivateKey(certOnly));
    assertEquals(certOnly + ": no private key (a PRIVATE KEY block) found", noKey.getMessage());

    PemFiles.readPrivateKey(keyOnly);
    IOException noCert = assertThrows(IOException.class, () -> PemFiles.readCertificates(keyOnly));
    assertEquals(keyOnly + ": no certificate (a CERTIFICATE block) found", noCert.getMessage());
  }

  @Test
  void errorsNameTheFile() throws Exception {
    Path missing = dir.resolve("missing.pem");
    IOException e = assertThrows(IOException.class, () -> PemFiles.readCertificates(missing));
    assertEquals(missing + ": no such file", e.getMessage());

    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(
        garbage, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
    IOException g = assertThrows(IOException.class, () -> PemFiles.readCertificates(garbage));
    assertTrue(g.getMessage().startsWith(garbage + ": "), g.getMessage());

    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "");
    IOException n = assertThrows(IOException.class, () -> PemFiles.readPrivateKey(empty));
    assertTrue(n.getMessage().startsWith(empty + ": no private key"), n.getMessage());
  }
}
